using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// Issue 12's real-process check: four `cgrid gateway run` processes, a real `cgrid-meter --simulate` on each street
/// (its street's gateway first, the others as fallbacks), and one gateway after another killed with SIGKILL at a
/// random moment and restarted. The others keep committing, every reading a meter saw acknowledged is in the chain,
/// none twice and none missing, and all four stores end identical and verify from genesis.
/// </summary>
public sealed partial class MetersThroughKillNineTests(ITestOutputHelper output)
{
    private const int Gateways = 4;
    private const int Kills = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Acknowledged_readings_survive_gateways_killed_at_random_and_every_store_is_identical()
    {
        using var grid = new ClusterGrid(Gateways, Gateways, genesisIntervalsAgo: 80);
        var random = new Random(4_12_2026);
        string[] gatewayKeys = grid.GatewayKeys.Select(k => k.PublicKeyHex).ToArray();
        var meters = new List<CgridMeterProcess>();
        await using (var cluster = new ClusterProcesses(grid, output))
        {
            for (int g = 0; g < Gateways; g++) await cluster.StartAsync(g);
            // Virtual time from 75 intervals back at 300x: one interval every 3 s, all in the gateways' past.
            DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(grid.GenesisTimeMs / 1000 + 5 * ClusterGrid.IntervalSeconds);
            try
            {
                int m = 0;
                foreach (string meter in grid.Meters.Keys)
                {
                    int street = m++ % Gateways;
                    int[] order = Enumerable.Range(0, Gateways).Select(i => cluster.MqttPorts[(street + i) % Gateways]).ToArray();
                    meters.Add(CgridMeterProcess.Start(grid.Directory, meter, grid.MeterSeeds[meter], ClusterGrid.ChainId, gatewayKeys, order, start, timeScale: 300));
                }
                await Waits.UntilAsync(() => meters.All(x => Acked(x).Count >= 2), Patience, "two acks per meter");
                for (int kill = 0; kill < Kills; kill++)
                {
                    int victim = random.Next(Gateways);
                    await Task.Delay(random.Next(500, 4000));
                    cluster.Kill(victim);
                    output.WriteLine($"kill {kill}: g{victim} (acks so far {string.Join(",", meters.Select(x => Acked(x).Count))})");
                    int[] before = meters.Select(x => Acked(x).Count).ToArray();
                    await Waits.UntilAsync(() => meters.Select((x, i) => Acked(x).Count > before[i]).All(b => b), Patience, "every meter acknowledged again with one gateway down");
                    await cluster.StartAsync(victim);
                }
                await Task.Delay(3000);
            }
            finally
            {
                foreach (CgridMeterProcess meter in meters) meter.Dispose();
            }
            await Waits.UntilAsync(() => Enumerable.Range(0, Gateways).Select(cluster.Tip).Distinct().Count() == 1, Patience, "all four stores on one tip");
        }
        var acknowledged = meters.Select((x, i) => (Meter: grid.Meters.Keys.ElementAt(i), Sequences: Acked(x))).ToList();
        for (int g = 0; g < Gateways; g++)
        {
            List<(string Meter, long Sequence)> stored = ClusterProcesses.VerifiedReadings(grid, g, output);
            Assert.Equal(stored.Count, stored.Distinct().Count()); // none twice
            foreach ((string meter, HashSet<long> sequences) in acknowledged)
            {
                long[] committed = stored.Where(r => r.Meter == meter).Select(r => r.Sequence).Order().ToArray();
                Assert.Equal(Enumerable.Range(1, committed.Length).Select(i => (long)i), committed); // no gap
                Assert.All(sequences, s => Assert.Contains(s, committed)); // every acknowledged reading is in the chain
            }
        }
    }

    /// <summary>The sequences the meter applied an ack for (its log's ack.applied lines).</summary>
    private static HashSet<long> Acked(CgridMeterProcess meter) =>
        meter.Lines.Where(l => l.Contains("ack.applied", StringComparison.Ordinal) && !l.Contains("status=rejected", StringComparison.Ordinal))
            .Select(l => SequenceField().Match(l)).Where(x => x.Success)
            .Select(x => long.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();

    [GeneratedRegex(@"\bseq(?:uence)?=(\d+)")]
    private static partial Regex SequenceField();
}
