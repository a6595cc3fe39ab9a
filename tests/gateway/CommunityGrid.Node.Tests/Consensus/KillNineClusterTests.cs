using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Tests.Support;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// Four real `cgrid gateway run` processes on loopback; one after another is killed with SIGKILL at a random moment
/// while readings arrive at the others, and restarted. The others keep committing, the killed one catches up, every
/// reading is in the chain exactly once, and every store is identical and verifies from genesis.
/// </summary>
public sealed class KillNineClusterTests(ITestOutputHelper output)
{
    private const int Gateways = 4;
    private const int Rounds = 6;
    private const int MetersPerRound = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Any_gateway_killed_at_random_moments_the_rest_commit_and_it_catches_up()
    {
        using var grid = new ClusterGrid(Gateways, Rounds * MetersPerRound);
        var random = new Random(20261204);
        long interval = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / ClusterGrid.IntervalSeconds * ClusterGrid.IntervalSeconds - 2 * ClusterGrid.IntervalSeconds;
        var readings = new Dictionary<(string Meter, long Sequence), byte[]>();
        await using (var cluster = new ClusterProcesses(grid, output))
        {
            for (int g = 0; g < Gateways; g++) await cluster.StartAsync(g);
            for (int round = 0; round < Rounds; round++)
            {
                int victim = round % Gateways;
                int killAfterMs = random.Next(0, 400);
                Task kill = Task.Run(async () =>
                {
                    await Task.Delay(killAfterMs);
                    cluster.Kill(victim);
                });
                // Each round its own meters' first readings (one reading per meter and interval; only the last
                // complete interval is open by the wall clock).
                for (int m = round * MetersPerRound + 1; m <= (round + 1) * MetersPerRound; m++)
                {
                    string meter = $"m{m:00}";
                    byte[] reading = grid.Reading(meter, 1, 10 * round + m, interval);
                    readings[(meter, 1)] = reading;
                    int gateway = m % Gateways == victim ? (victim + 1) % Gateways : m % Gateways;
                    await cluster.PostAsync(gateway, reading);
                }
                await kill;
                output.WriteLine($"round {round}: killed g{victim} after {killAfterMs} ms");
                await Task.Delay(random.Next(200, 1500));
                await cluster.StartAsync(victim);
            }
            // Like meters, resend what is not in the chain yet (a reading can die unacknowledged with the gateway holding it).
            await Waits.UntilAsync(() =>
            {
                foreach (KeyValuePair<(string Meter, long Sequence), byte[]> r in readings.Where(r => !cluster.Committed(0, r.Key.Meter, r.Key.Sequence)))
                {
                    cluster.PostAsync(1, r.Value).GetAwaiter().GetResult();
                }
                return readings.Keys.All(k => cluster.Committed(0, k.Meter, k.Sequence));
            }, Patience, "every reading committed");
            await Waits.UntilAsync(() => Enumerable.Range(0, Gateways).Select(cluster.Tip).Distinct().Count() == 1, Patience, "all four stores on one tip");
        }
        var expected = readings.Keys.OrderBy(k => k).ToList();
        for (int g = 0; g < Gateways; g++)
        {
            List<(string Meter, long Sequence)> stored = ClusterProcesses.VerifiedReadings(grid, g, output);
            Assert.Equal(expected, stored.OrderBy(k => k).ToList());
        }
    }
}
