using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// <see cref="ConsensusOptions.BlockSpacing"/>: four gateways on one virtual clock; a transaction that arrives soon
/// after the tip's block time waits until the spacing has passed on the clock, then is committed.
/// </summary>
public sealed class BlockSpacingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Waiting_transactions_start_a_height_only_once_the_spacing_since_the_tip_has_passed()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 2);
        long intervalStart = grid.GenesisTimeMs / 1000;
        // Just after the first interval ended, well before it is due to close (end + 60 s grace): only transactions start heights.
        long intervalEndMs = grid.GenesisTimeMs + ClusterGrid.IntervalSeconds * 1000L;
        var clock = new VirtualClock(intervalEndMs + 5_000);
        var nodes = new GatewayNode?[4];
        try
        {
            for (int g = 0; g < 4; g++)
            {
                NodeOptions options = grid.NodeOptions(g);
                nodes[g] = await GatewayNode.StartAsync(options with { Clock = clock, Consensus = options.Consensus! with { BlockSpacing = Spacing } });
            }

            // Block 1 is far in the past by this clock: the first reading goes into a block at once.
            Assert.Equal(IntakeResult.Queued, nodes[0]!.Intake.Offer("m01", grid.Reading("m01", 1, 101, intervalStart)));
            await Waits.UntilAsync(() => nodes.All(n => n!.Height == 2), Patience, "the first reading committed at once");

            // 5 s after that block's time the next reading waits in the mempool, however long real time passes.
            clock.Set(intervalEndMs + 10_000);
            Assert.Equal(IntakeResult.Queued, nodes[1]!.Intake.Offer("m02", grid.Reading("m02", 1, 102, intervalStart)));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.All(nodes, n => Assert.Equal(2, n!.Height));
            Assert.Equal(1, nodes[1]!.Pool.Count);

            // Once the clock is past the spacing (still before the interval is due to close), it is committed.
            clock.Set(intervalEndMs + 5_000 + (long)Spacing.TotalMilliseconds + 1_000);
            await Waits.UntilAsync(() => nodes.All(n => n!.Height == 3), Patience, "the second reading committed after the spacing");
            await Waits.UntilAsync(() => nodes[1]!.Pool.Count == 0, Patience, "the mempool emptied by the commit");
        }
        finally
        {
            foreach (GatewayNode? node in nodes) if (node is not null) await node.DisposeAsync();
        }
    }
}
