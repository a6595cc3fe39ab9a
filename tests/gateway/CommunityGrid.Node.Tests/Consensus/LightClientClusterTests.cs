using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// issue 15, the happy path: real `cgrid-meter` processes configured as light clients (the genesis validator set)
/// against four real gateway processes. Their readings leave the queue only through verified proof messages
/// (docs/protocol.md §7.6), never through an ack, and only up to what the chain holds; the verified height the
/// LCD shows is a height the chain has.
/// </summary>
public sealed class LightClientClusterTests(ITestOutputHelper output)
{
    private const int Gateways = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Light_client_meters_release_readings_only_on_proofs_from_four_gateways()
    {
        using var grid = new ClusterGrid(Gateways, 2, genesisIntervalsAgo: 60);
        string[] gatewayKeys = grid.GatewayKeys.Select(k => k.PublicKeyHex).ToArray();
        string[] validators = grid.Genesis.Validators.Select(v => v.PublicKey + "@" + v.Address).ToArray();
        var meters = new List<CgridMeterProcess>();
        long chainHeight;
        await using (var cluster = new ClusterProcesses(grid, output))
        {
            for (int g = 0; g < Gateways; g++) await cluster.StartAsync(g);
            DateTimeOffset start = DateTimeOffset.FromUnixTimeSeconds(grid.GenesisTimeMs / 1000 + 5 * ClusterGrid.IntervalSeconds);
            try
            {
                int street = 0;
                foreach (string meter in grid.Meters.Keys)
                {
                    int[] ports = Enumerable.Range(0, Gateways).Select(i => cluster.MqttPorts[(street + i) % Gateways]).ToArray();
                    meters.Add(CgridMeterProcess.Start(grid.Directory, meter, grid.MeterSeeds[meter], ClusterGrid.ChainId, gatewayKeys, ports, start,
                        timeScale: 300, validators: validators));
                    street++;
                }
                await Waits.UntilAsync(() => meters.All(m => ReleasedThrough(m) >= 4), Patience,
                    "four readings per meter released by verified proofs\n" + string.Join("\n", meters.Select(m => m.Log)));
                chainHeight = cluster.Height(0);
            }
            finally
            {
                foreach (CgridMeterProcess meter in meters) meter.Dispose();
            }
        }
        using ChainStore chain = grid.OpenChain(0);
        foreach ((string meterId, CgridMeterProcess meter) in grid.Meters.Keys.Zip(meters))
        {
            // Every session of these meters takes proofs, so the embedded brokers tell the gateways to sign them no
            // committed acks (docs/protocol.md §7.7); one that arrives anyway (the gateway sends when in doubt, e.g. while
            // a session is half subscribed) releases nothing.
            Assert.DoesNotContain(meter.Lines, l => Field(l, "event") == "ack.applied");
            // An honest cluster's messages never fail verification (an older retained one after a reconnect is only skipped).
            Assert.DoesNotContain(meter.Lines, l => Field(l, "event") == "proof.refused" && Field(l, "verdict") != "OlderHeader");
            List<string> verified = meter.Lines.Where(l => Field(l, "event") == "proof.verified").ToList();
            long[] committed = chain.GetReadings(meterId, 0, 1000).Select(r => r.Sequence).ToArray();
            foreach (string line in verified)
            {
                long height = long.Parse(Field(line, "height")!, CultureInfo.InvariantCulture);
                long releasedThrough = long.Parse(Field(line, "released_through")!, CultureInfo.InvariantCulture);
                Assert.InRange(height, 1, chainHeight);
                // Released only what the chain holds at or below the verified height.
                Assert.True(releasedThrough <= committed.Length, $"{meterId} released through {releasedThrough}, the chain holds {committed.Length}");
                Assert.True(chain.GetReadings(meterId, 0, 1000).Where(r => r.Sequence <= releasedThrough).All(r => r.Height <= height), line);
            }
            // A new header costs a quorum (3) to all (4) signature checks; a repeat of the verified one none.
            Assert.All(verified.Select(l => int.Parse(Field(l, "signature_checks")!, CultureInfo.InvariantCulture)), n => Assert.True(n == 0 || n is >= 3 and <= 4, $"{n} checks"));
            output.WriteLine($"{meterId}: {verified.Count} proofs verified, last {verified[^1]}");
        }
    }

    private static long ReleasedThrough(CgridMeterProcess meter) =>
        meter.Lines.Where(l => Field(l, "event") == "proof.verified").Select(l => long.Parse(Field(l, "released_through")!, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    private static string? Field(string line, string key) =>
        line.Split(' ').FirstOrDefault(part => part.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];
}
