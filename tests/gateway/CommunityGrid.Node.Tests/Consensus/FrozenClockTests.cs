using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// The simulator holds its virtual clock still while the gateways decide a height. What a gateway said before its
/// peers were listening must still be said again: retransmissions and status are paced by real time, not the clock.
/// </summary>
public sealed class FrozenClockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Votes_sent_before_the_peers_connected_go_again_while_the_clock_stands_still()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 1);
        var clock = new VirtualClock(grid.GenesisTimeMs + ClusterGrid.IntervalSeconds * 1000L + 5_000);
        var nodes = new GatewayNode?[4];
        try
        {
            nodes[0] = await GatewayNode.StartAsync(grid.NodeOptions(0) with { Clock = clock });
            // Alone, gateway 0 starts the height and signs its messages for nobody.
            Assert.Equal(IntakeResult.Queued, nodes[0]!.Intake.Offer("m01", grid.Reading("m01", 1, 101, grid.GenesisTimeMs / 1000)));
            await Task.Delay(TimeSpan.FromSeconds(2));
            for (int g = 1; g < 4; g++) nodes[g] = await GatewayNode.StartAsync(grid.NodeOptions(g) with { Clock = clock });
            await Waits.UntilAsync(() => nodes.All(n => n!.Height == 2), Patience, "the reading committed although the clock never moved");
        }
        finally
        {
            foreach (GatewayNode? node in nodes) if (node is not null) await node.DisposeAsync();
        }
    }
}
