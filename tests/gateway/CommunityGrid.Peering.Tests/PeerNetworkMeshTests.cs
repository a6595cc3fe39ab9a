using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests;

public sealed class PeerNetworkMeshTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Four_validators_form_a_full_mesh_with_one_connection_per_pair_and_exchange_messages()
    {
        await using PeerCluster cluster = PeerCluster.Create(4);
        await cluster.StartAllAsync();

        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience), "no full mesh within 20 s");

        PeerNetwork[] networks = cluster.Nodes.Select(node => node.Network!).ToArray();
        Inbox[] inboxes = networks.Select(network => new Inbox(network)).ToArray();
        try
        {
            Assert.Equal(3, networks[2].Broadcast(1, [42]));
            Assert.True(networks[3].Send(cluster.Nodes[0].Key, 5, [7, 7]));
            Assert.True(await Eventually.HoldsAsync(
                () => inboxes.Where((_, i) => i != 2).All(inbox => inbox.Count(1) == 1) && inboxes[0].Count(5) == 1, Patience));

            PeerMessage direct = inboxes[0].Messages.Single(message => message.Channel == 5);
            Assert.Equal(cluster.Nodes[3].Key, direct.From);
            Assert.Equal(new byte[] { 7, 7 }, direct.Payload);
            Assert.Equal(0, inboxes[2].Count(1));

            foreach (ClusterNode node in cluster.Nodes)
            {
                var peers = node.Network!.Peers;
                Assert.Equal(3, peers.Count);
                Assert.All(peers, peer => Assert.Equal(1, peer.Connections));
                Assert.All(peers, peer => Assert.Equal(peer.Key.CompareTo(node.Key) > 0, peer.Dials));
            }
            PeerStatus zeroSeenByThree = networks[3].Peers.Single(peer => peer.Key.Equals(cluster.Nodes[0].Key));
            Assert.Equal(1, zeroSeenByThree.MessagesOut);
            Assert.True(zeroSeenByThree.BytesOut > 0);
            // Keepalive pings flow both ways even when the host sends nothing.
            Assert.True(await Eventually.HoldsAsync(() => networks[1].Peers.All(peer => peer.BytesIn > 0), Patience));
        }
        finally
        {
            foreach (Inbox inbox in inboxes)
            {
                await inbox.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sending_to_a_peer_that_is_not_connected_is_refused_and_channel_zero_is_reserved()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await cluster.StartAsync(0);
        PeerNetwork alone = cluster.Nodes[0].Network!;

        Assert.False(alone.Send(cluster.Nodes[1].Key, 1, [1]));
        Assert.Equal(0, alone.Broadcast(1, [1]));
        Assert.Throws<ArgumentException>(() => alone.Broadcast(0, [1]));
        Assert.Throws<ArgumentException>(() => alone.Send(cluster.Nodes[1].Key, 1, new byte[PeerCluster.FastOptions().MaxFrameBytes]));
    }
}
