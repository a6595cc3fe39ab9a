using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
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
    private const int Meters = Rounds * MetersPerRound;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Any_gateway_killed_at_random_moments_the_rest_commit_and_it_catches_up()
    {
        using var grid = new ClusterGrid(Gateways, Meters);
        var random = new Random(20261204);
        int[] httpPorts = Enumerable.Range(0, Gateways).Select(_ => Ports.Free()).ToArray();
        var processes = new GatewayProcess?[Gateways];
        Task<GatewayProcess> Start(int g) => GatewayProcess.StartAsync(grid.GenesisPath, grid.DataDirectory(g), grid.KeyPath(g),
            "--http", $"127.0.0.1:{httpPorts[g]}", "--mqtt", $"127.0.0.1:{Ports.Free()}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        long interval = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / ClusterGrid.IntervalSeconds * ClusterGrid.IntervalSeconds - 2 * ClusterGrid.IntervalSeconds;
        var readings = new Dictionary<(string Meter, long Sequence), byte[]>();
        try
        {
            for (int g = 0; g < Gateways; g++) processes[g] = await Start(g);
            for (int round = 0; round < Rounds; round++)
            {
                int victim = round % Gateways;
                int killAfterMs = random.Next(0, 400);
                Task kill = Task.Run(async () =>
                {
                    await Task.Delay(killAfterMs);
                    processes[victim]!.KillHard();
                });
                // Each round its own meters' first readings (one reading per meter and interval; only the last
                // complete interval is open by the wall clock).
                for (int m = round * MetersPerRound + 1; m <= (round + 1) * MetersPerRound; m++)
                {
                    string meter = $"m{m:00}";
                    const long sequence = 1;
                    byte[] reading = grid.Reading(meter, sequence, 10 * round + m, interval);
                    readings[(meter, sequence)] = reading;
                    int gateway = m % Gateways;
                    if (gateway == victim) gateway = (gateway + 1) % Gateways;
                    await PostAsync(http, httpPorts[gateway], reading);
                }
                await kill;
                output.WriteLine($"round {round}: killed g{victim} after {killAfterMs} ms");
                await Task.Delay(random.Next(200, 1500));
                processes[victim]!.Dispose();
                processes[victim] = await Start(victim);
            }
            // Like meters, resend what is not in the chain yet (a reading can die with the gateway that held it unacknowledged).
            await Waits.UntilAsync(() =>
            {
                foreach (KeyValuePair<(string Meter, long Sequence), byte[]> r in readings)
                {
                    if (!Committed(grid, 0, r.Key.Meter, r.Key.Sequence)) PostAsync(http, httpPorts[1], r.Value).GetAwaiter().GetResult();
                }
                return readings.Keys.All(k => Committed(grid, 0, k.Meter, k.Sequence));
            }, Patience, "every reading committed");
            await Waits.UntilAsync(() => Tips(grid).Distinct().Count() == 1, Patience, "all four stores on one tip");
        }
        finally
        {
            foreach (GatewayProcess? p in processes)
            {
                if (p is null) continue;
                foreach (string line in p.Lines.TakeLast(25)) output.WriteLine($"g{Array.IndexOf(processes, p)}: {line}");
                if (!p.HasExited) await p.StopAsync();
                p.Dispose();
            }
        }
        for (int g = 0; g < Gateways; g++)
        {
            using ChainStore store = grid.OpenChain(g); // full replay from genesis, every commit verified
            var committed = new List<(string, long)>();
            for (long h = 1; h <= store.Height; h++)
            {
                foreach (byte[] tx in store.GetBlock(h)!.Block.Body.Transactions)
                {
                    var peek = Chain.Transactions.Transaction.Decode(tx);
                    if (peek.Reading is { } r) committed.Add((r.MeterId, r.Sequence));
                }
            }
            Assert.Equal(readings.Count, committed.Count);
            Assert.Equal(readings.Keys.OrderBy(k => k).ToList(), committed.OrderBy(k => k).ToList());
            output.WriteLine($"g{g}: height {store.Height}, tip {Hashes.Hex(store.State.TipHash)[..16]}, {committed.Count} readings");
        }
    }

    private static async Task PostAsync(HttpClient http, int port, byte[] tx)
    {
        using var body = new ByteArrayContent(tx);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        try
        {
            using HttpResponseMessage response = await http.PostAsync($"http://127.0.0.1:{port}/transactions", body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The gateway died meanwhile: the reading is resent at the end.
        }
    }

    private static bool Committed(ClusterGrid grid, int gateway, string meter, long sequence)
    {
        using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(gateway), grid.Genesis, VerifyMode.Headers);
        return store.GetReadings(meter, sequence - 1, 1).Any(r => r.Sequence == sequence);
    }

    private static IEnumerable<string> Tips(ClusterGrid grid) => Enumerable.Range(0, Gateways).Select(g =>
    {
        using ChainStore store = ChainStore.OpenReadOnly(grid.DatabasePath(g), grid.Genesis, VerifyMode.Headers);
        return Hashes.Hex(store.State.TipHash);
    }).ToList();
}
