using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// The per-meter metrics (readings committed, time of the latest) count what the chain commits, not only what reached
/// this gateway's mempool: a gateway of several that caught up by sync, or whose peers took a meter's readings, would
/// otherwise show that meter as silent (the meter-silent alert), although its readings are on the chain.
/// </summary>
public sealed class CommittedReadingMetricsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_gateway_that_caught_up_by_sync_counts_the_readings_it_never_held()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 2);
        long interval = grid.GenesisTimeMs / 1000;
        var nodes = new GatewayNode?[4];
        try
        {
            // Three of four are a quorum: they commit while gateway 3 is down.
            for (int g = 0; g < 3; g++) nodes[g] = await GatewayNode.StartAsync(grid.NodeOptions(g));
            Assert.Equal(IntakeResult.Queued, nodes[0]!.Intake.Offer("m01", grid.Reading("m01", 1, 101, interval)));
            Assert.Equal(IntakeResult.Queued, nodes[1]!.Intake.Offer("m02", grid.Reading("m02", 1, 102, interval)));
            await Waits.UntilAsync(() => nodes.Take(3).All(n => n!.Read(s => s.State.View().Meter("m01")?.LastSequence == 1
                && s.State.View().Meter("m02")?.LastSequence == 1)), Patience, "both readings committed by the three");
            long height = nodes[0]!.Height;

            nodes[3] = await GatewayNode.StartAsync(grid.NodeOptions(3));
            await Waits.UntilAsync(() => nodes[3]!.Height >= height, Patience, "gateway 3 caught up");

            GatewayMetricsSnapshot caughtUp = nodes[3]!.Metrics.Snapshot();
            Assert.Contains(caughtUp.ReadingsAccepted, c => c is { MeterId: "m01", Count: 1 });
            Assert.Contains(caughtUp.ReadingsAccepted, c => c is { MeterId: "m02", Count: 1 });
            long committedAt = nodes[0]!.Read(s => s.GetBlock(height)!.Block.Header.TimeMs) / 1000;
            Assert.NotNull(caughtUp.LastReadings);
            Assert.Contains(caughtUp.LastReadings!, t => t.MeterId == "m01" && t.UnixSeconds <= committedAt && t.UnixSeconds > 0);
            Assert.Contains(caughtUp.LastReadings!, t => t.MeterId == "m02" && t.UnixSeconds <= committedAt && t.UnixSeconds > 0);
        }
        finally
        {
            foreach (GatewayNode? node in nodes) if (node is not null) await node.DisposeAsync();
        }
    }
}
