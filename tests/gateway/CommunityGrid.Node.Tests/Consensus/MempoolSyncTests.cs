using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Consensus;

/// <summary>
/// Administrative transactions are sent once (unlike readings, which meters resend) and carry nonces that must rise:
/// one that some gateway never hears of could be overtaken by its signer's later ones through another gateway and
/// never apply. So they travel on a channel that is never dropped, and a gateway that connects is given the mempool.
/// </summary>
public sealed class MempoolSyncTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Payments_submitted_before_and_after_the_peers_connect_are_all_committed()
    {
        using var grid = new ClusterGrid(gateways: 4, meterCount: 2);
        var nodes = new GatewayNode?[4];
        try
        {
            nodes[0] = await GatewayNode.StartAsync(grid.NodeOptions(0));
            // Alone, gateway 0 cannot commit (1 of 4): these wait in its mempool while nobody hears of them.
            for (long nonce = 1; nonce <= 30; nonce++) Assert.True(nodes[0]!.Submit(grid.Deposit(nonce, 100)).Accepted);
            // A second gateway (2 of 4: still no quorum, nothing commits) is handed the mempool when it connects.
            nodes[1] = await GatewayNode.StartAsync(grid.NodeOptions(1));
            await Waits.UntilAsync(() => nodes[1]!.Pool.Count == 30, Patience, "the 30 waiting deposits handed to the gateway that connected");
            for (int g = 2; g < 4; g++) nodes[g] = await GatewayNode.StartAsync(grid.NodeOptions(g));
            await Waits.UntilAsync(() => nodes.All(n => n!.PeerStatuses.All(p => p.Connected)), Patience, "all four connected");
            // The later nonces reach the others by gossip at once; the earlier ones only through the mempool sync.
            for (long nonce = 31; nonce <= 60; nonce++) Assert.True(nodes[0]!.Submit(grid.Deposit(nonce, 100)).Accepted);
            await Waits.UntilAsync(() => nodes.All(n => n!.Read(s => s.State.View().Balance(TestGrid.HouseOf("m01"))) == 60 * 100),
                Patience, "all 60 deposits committed on every gateway");
        }
        finally
        {
            foreach (GatewayNode? node in nodes) if (node is not null) await node.DisposeAsync();
        }
    }
}
