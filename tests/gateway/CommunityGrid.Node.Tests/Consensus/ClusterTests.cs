using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;
using Xunit.Abstractions;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// Four gateway nodes in this process, each with its own SQLite store, talking through the real peer network (TLS on
/// loopback): readings offered to different gateways are committed once on one identical chain and acknowledged by
/// the gateway that received them; with one gateway stopped the other three go on; restarted, it catches up.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Four_gateways_commit_one_chain_go_on_without_one_and_catch_it_up()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 8);
        var acks = new ConcurrentDictionary<(string Meter, long Sequence), ConcurrentBag<(int Gateway, ReadingAck Ack)>>();
        GatewayNode?[] nodes = new GatewayNode?[4];
        var log = new CollectedLog();
        async Task StartAsync(int g) => nodes[g] = await GatewayNode.StartAsync(grid.NodeOptions(g, ack =>
            acks.GetOrAdd((ack.MeterId, ack.Sequence), _ => []).Add((g, ack))) with { LoggerFactory = log.Factory($"g{g}") });
        try
        {
            for (int g = 0; g < 4; g++) await StartAsync(g);
            long interval = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / ClusterGrid.IntervalSeconds * ClusterGrid.IntervalSeconds - 2 * ClusterGrid.IntervalSeconds;

            // Meter m0k sends its reading to gateway k % 4 (its street's gateway).
            var sent = new List<(string Meter, long Sequence, int Gateway)>();
            for (int m = 1; m <= 8; m++)
            {
                string meter = $"m{m:00}";
                int gateway = m % 4;
                Assert.Equal(IntakeResult.Queued, nodes[gateway]!.Intake.Offer(meter, grid.Reading(meter, 1, 100 + m, interval)));
                sent.Add((meter, 1, gateway));
            }
            await Waits.UntilAsync(() => sent.All(s => acks.ContainsKey((s.Meter, s.Sequence))), Patience, "every reading acknowledged");
            await AllOnOneTipAsync(nodes, 2);
            // A gateway that fell behind (a loaded machine) takes the blocks it missed by sync, which its figures do not
            // count as decided: read them from one that decided a height itself (at least three of the four did).
            GatewayNode decider = nodes.First(n => n!.Metrics.Snapshot().Consensus!.HeightsDecided >= 1)!;
            // Three of four commit without the fourth link: one may not be up yet (a peer that was not listening when this
            // one started is dialled again after a backoff). Wait for a snapshot in which it sees all three peers, and
            // check the figures and the metrics text of that one snapshot.
            CommunityGrid.Api.GatewayMetricsSnapshot snapshot = decider.Metrics.Snapshot();
            await Waits.UntilAsync(() => (snapshot = decider.Metrics.Snapshot()).Consensus!.Peers.Count(p => p.Connected) == 3, Patience,
                "the gateway to be connected to its three peers");
            CommunityGrid.Api.ConsensusFigures figures = snapshot.Consensus!;
            Assert.Equal(4, figures.Validators);
            Assert.Equal(3, figures.Peers.Count(p => p.Connected));
            Assert.True(figures.RoundsTotal >= figures.HeightsDecided);
            string metrics = CommunityGrid.Api.Endpoints.PrometheusText.Render(snapshot);
            Assert.Contains("cgrid_consensus_heights_total " + figures.HeightsDecided, metrics);
            Assert.Equal(3, metrics.Split('\n').Count(l => l.StartsWith("cgrid_consensus_peer_up{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal)));
            foreach ((string meter, long sequence, int gateway) in sent)
            {
                (int by, ReadingAck ack) = Assert.Single(acks[(meter, sequence)]);
                Assert.Equal(gateway, by);
                Assert.Equal(AckStatus.Committed, ack.Status);
            }

            // One gateway down: three of four are more than two thirds, so blocks still commit.
            await nodes[3]!.DisposeAsync();
            nodes[3] = null;
            long heightWithout = nodes[0]!.Height;
            for (int m = 1; m <= 8; m++)
            {
                string meter = $"m{m:00}";
                nodes[m % 3]!.Intake.Offer(meter, grid.Reading(meter, 2, 200 + m, interval + ClusterGrid.IntervalSeconds));
            }
            await Waits.UntilAsync(() => Enumerable.Range(1, 8).All(m => acks.ContainsKey(($"m{m:00}", 2))), Patience, "readings acknowledged by three gateways");
            await AllOnOneTipAsync(nodes, heightWithout + 1);

            // Back: it fetches the blocks it missed from its peers, verifies their commits and replays them.
            await StartAsync(3);
            await AllOnOneTipAsync(nodes, nodes[0]!.Height);
            foreach (var bag in acks.Values) Assert.Single(bag);

            // A replaced host: an empty data directory with only the genesis (and the key's sign state, which an
            // operator keeps with the key, docs/operations.md): it fetches the whole chain from block 1.
            await nodes[3]!.DisposeAsync();
            nodes[3] = null;
            string data = grid.DataDirectory(3);
            foreach (string file in System.IO.Directory.GetFiles(data))
            {
                if (System.IO.Path.GetFileName(file) != ConsensusOptions.SignStateFileName) System.IO.File.Delete(file);
            }
            await StartAsync(3);
            await AllOnOneTipAsync(nodes, nodes[0]!.Height);
        }
        finally
        {
            foreach (GatewayNode? node in nodes) if (node is not null) await node.DisposeAsync();
            foreach (string line in log.Lines) output.WriteLine(line);
        }
        for (int g = 0; g < 4; g++)
        {
            using ChainStore store = grid.OpenChain(g);
            output.WriteLine($"gateway {g}: height {store.Height}, tip {Hashes.Hex(store.State.TipHash)[..16]}");
            Assert.Equal(16, CountReadings(store)); // 8 meters × 2 readings, each exactly once
        }
    }

    private static int CountReadings(ChainStore store)
    {
        int count = 0;
        for (long h = 1; h <= store.Height; h++)
        {
            count += store.GetBlock(h)!.Block.Body.Transactions.Count(tx => Chain.Transactions.Transaction.Decode(tx).Reading is not null);
        }
        return count;
    }

    private static async Task AllOnOneTipAsync(GatewayNode?[] nodes, long atLeast)
    {
        GatewayNode[] running = nodes.Where(n => n is not null).ToArray()!;
        await Waits.UntilAsync(() =>
        {
            long[] heights = running.Select(n => n.Height).ToArray();
            if (heights.Min() < atLeast || heights.Distinct().Count() != 1) return false;
            return running.Select(n => n.Read(s => Hashes.Hex(s.State.TipHash))).Distinct().Count() == 1;
        }, Patience, $"every running gateway on one tip at height >= {atLeast} (now {string.Join(", ", running.Select(n => n.Height))})");
    }
}
