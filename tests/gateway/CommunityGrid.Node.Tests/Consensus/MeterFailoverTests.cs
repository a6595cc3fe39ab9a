using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// Real `cgrid-meter --simulate` processes whose configuration lists their street's gateway first and the others as
/// fallbacks, against four real gateway processes: when their gateway is killed they move to another and their
/// readings keep being committed and acknowledged; no reading is lost or committed twice.
/// </summary>
public sealed class MeterFailoverTests(ITestOutputHelper output)
{
    private const int Gateways = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Meters_fail_over_to_another_gateway_and_keep_being_acknowledged()
    {
        using var grid = new ClusterGrid(Gateways, 2, genesisIntervalsAgo: 60);
        string[] gatewayKeys = grid.GatewayKeys.Select(k => k.PublicKeyHex).ToArray();
        var meters = new List<CgridMeterProcess>();
        await using (var cluster = new ClusterProcesses(grid, output))
        {
            for (int g = 0; g < Gateways; g++) await cluster.StartAsync(g);
            // Virtual time from 50 intervals back, 300x: one interval every 3 s, all in the past for the gateways' clocks.
            DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(grid.GenesisTimeMs / 1000 + 5 * ClusterGrid.IntervalSeconds);
            int[] order = [1, 2, 3, 0]; // street gateway g1, then the others
            try
            {
                foreach (string meter in grid.Meters.Keys)
                {
                    meters.Add(CgridMeterProcess.Start(grid.Directory, meter, grid.MeterSeeds[meter], ClusterGrid.ChainId, gatewayKeys,
                        order.Select(g => cluster.MqttPorts[g]).ToArray(), start, timeScale: 300));
                }
                await Waits.UntilAsync(() => meters.All(m => m.AckedThrough >= 3), Patience, "three readings per meter acked by their street's gateway");
                long before = meters.Min(m => m.AckedThrough);
                cluster.Kill(1);
                output.WriteLine($"killed g1 with readings acked through {before} per meter");
                await Waits.UntilAsync(() => meters.All(m => m.Contains("mqtt.failover")), Patience, "the meters to fail over");
                await Waits.UntilAsync(() => meters.All(m => m.AckedThrough >= before + 4), Patience, "four more readings per meter acked through another gateway");
            }
            finally
            {
                foreach (CgridMeterProcess meter in meters)
                {
                    foreach (string line in meter.Lines.Where(l => l.Contains("mqtt.", StringComparison.Ordinal)).Take(10)) output.WriteLine(line);
                    meter.Dispose();
                }
            }
            await cluster.StartAsync(1);
            await Waits.UntilAsync(() => Enumerable.Range(0, Gateways).Select(cluster.Tip).Distinct().Count() == 1, Patience, "all four stores on one tip");
        }
        using ChainStore chain = grid.OpenChain(1);
        foreach (string meter in grid.Meters.Keys)
        {
            long[] sequences = chain.GetReadings(meter, 0, 1000).Select(r => r.Sequence).ToArray();
            Assert.True(sequences.Length >= 7, $"{meter} has {sequences.Length} committed readings");
            Assert.Equal(Enumerable.Range(1, sequences.Length).Select(i => (long)i), sequences); // none lost, none twice
        }
    }
}
