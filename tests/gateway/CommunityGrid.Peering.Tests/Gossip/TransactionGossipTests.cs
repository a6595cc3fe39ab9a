using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests.Gossip;

public sealed class TransactionGossipTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_thousand_transactions_from_random_nodes_reach_every_node_exactly_once_even_over_a_missing_link(bool withLinks)
    {
        await using PeerCluster cluster = PeerCluster.Create(4, ClusterRelays.PerLink);
        await cluster.StartAllAsync();
        // No direct link between 0 and 3: their transactions must be passed on by 1 or 2.
        cluster.Partition([0], [3]);
        Assert.True(await Eventually.HoldsAsync(
            () => cluster.Connected([0, 1, 2]) && cluster.Connected([1, 2, 3]) && !cluster.Connected([0, 3]), TimeSpan.FromSeconds(20)));
        await using var rig = new GossipRig(cluster, withLinks);
        if (withLinks)
        {
            Assert.True(await Eventually.HoldsAsync(rig.LinksSettled, TimeSpan.FromSeconds(20)));
        }

        int[] publishedBy = await rig.PublishAndAwaitAsync(1000, [0, 1, 2, 3], [0, 1, 2, 3], 20261204);

        Assert.True(publishedBy.Contains(0) && publishedBy.Contains(3));
        Assert.True(rig.Duplicates > 0, "with relaying, some copies arrive twice and must be recognised");
    }

    [Fact]
    public async Task Over_a_line_of_four_nodes_transactions_are_passed_on_hop_by_hop()
    {
        await using PeerCluster cluster = PeerCluster.Create(4, ClusterRelays.PerLink);
        await cluster.StartAllAsync();
        // Only 0-1, 1-2 and 2-3: a transaction of 0 reaches 3 over two relays.
        cluster.Partition([0], [2, 3]);
        cluster.Partition([1], [3]);
        Assert.True(await Eventually.HoldsAsync(
            () => cluster.Connected([0, 1]) && cluster.Connected([1, 2]) && cluster.Connected([2, 3])
                && !cluster.Connected([0, 2]) && !cluster.Connected([0, 3]) && !cluster.Connected([1, 3]), TimeSpan.FromSeconds(20)));
        await using var rig = new GossipRig(cluster, withLinks: true);
        Assert.True(await Eventually.HoldsAsync(rig.LinksSettled, TimeSpan.FromSeconds(20)));

        await rig.PublishAndAwaitAsync(400, [0, 1, 2, 3], [0, 1, 2, 3], 20261205);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 2 * 3)]
    public async Task With_the_full_mesh_and_links_known_a_peer_s_transaction_is_not_relayed(bool withLinks, int copiesPerTransaction)
    {
        await using PeerCluster cluster = PeerCluster.Create(4);
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, TimeSpan.FromSeconds(20)));
        await using var rig = new GossipRig(cluster, withLinks);
        if (withLinks)
        {
            Assert.True(await Eventually.HoldsAsync(rig.LinksSettled, TimeSpan.FromSeconds(20)));
        }

        await rig.PublishAndAwaitAsync(500, [0, 1, 2, 3], [0, 1, 2, 3], 20261206);

        // Relaying to everyone: each of the 3 receivers gets 2 extra copies of each transaction.
        Assert.Equal(500 * copiesPerTransaction, rig.Duplicates);
    }

    [Fact]
    public async Task After_a_link_is_cut_its_ends_say_so_and_their_transactions_are_relayed_again()
    {
        await using PeerCluster cluster = PeerCluster.Create(4, ClusterRelays.PerLink);
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, TimeSpan.FromSeconds(20)));
        await using var rig = new GossipRig(cluster, withLinks: true);
        Assert.True(await Eventually.HoldsAsync(rig.LinksSettled, TimeSpan.FromSeconds(20)));
        await rig.PublishAndAwaitAsync(100, [0, 1, 2, 3], [0, 1, 2, 3], 1);
        Assert.Equal(0, rig.Duplicates);

        cluster.Partition([0], [3]);
        Assert.True(await Eventually.HoldsAsync(() => !cluster.Connected([0, 3]) && rig.LinksSettled(), TimeSpan.FromSeconds(20)));
        await rig.PublishAndAwaitAsync(300, [0, 3], [0, 1, 2, 3], 2);

        cluster.HealAll();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh && rig.LinksSettled(), TimeSpan.FromSeconds(30)));
        int before = rig.Duplicates;
        Assert.True(before > 0);
        await rig.PublishAndAwaitAsync(100, [0, 1, 2, 3], [0, 1, 2, 3], 3);
        Assert.Equal(before, rig.Duplicates);
    }

    [Fact]
    public async Task A_peer_that_passes_on_first_and_withholds_cannot_keep_an_honest_transaction_from_a_node_it_could_reach()
    {
        await using PeerCluster cluster = PeerCluster.Create(4, ClusterRelays.PerLink);
        await cluster.StartAllAsync();
        // 0 cannot reach 3 directly; 1 is dishonest (relays nothing), so 2 is the only honest way.
        cluster.Partition([0], [3]);
        Assert.True(await Eventually.HoldsAsync(
            () => cluster.Connected([0, 1, 2]) && cluster.Connected([1, 2, 3]) && !cluster.Connected([0, 3]), TimeSpan.FromSeconds(20)));
        await using var rig = new GossipRig(cluster, withLinks: true, honest: node => node != 1);
        PeerNetwork liar = cluster.Nodes[1].Network!;
        // 1 says it is connected to everyone and was never told of anything (its own links object is not read).
        byte[] everyone = cluster.Nodes.Where(node => node.Index != 1).SelectMany(node => node.Key.Bytes.ToArray()).ToArray();
        liar.Broadcast(GossipRig.LinksChannel, everyone);
        Assert.True(await Eventually.HoldsAsync(
            () => rig.Links[2]!.Says(cluster.Nodes[1].Key, cluster.Nodes[3].Key) && rig.Links[2]!.Says(cluster.Nodes[0].Key, cluster.Nodes[1].Key)
                && !rig.Links[2]!.Says(cluster.Nodes[0].Key, cluster.Nodes[3].Key), TimeSpan.FromSeconds(20)));

        var random = new Random(7);
        for (int tx = 0; tx < 50; tx++)
        {
            byte[] transaction = GossipRig.Transaction(random, tx);
            // The liar learned it first (say from the meter too) and hands it to 2 before 0's copy arrives.
            Assert.True(liar.Send(cluster.Nodes[2].Key, GossipRig.TransactionChannel, transaction));
            string hex = Convert.ToHexString(transaction);
            Assert.True(await Eventually.HoldsAsync(() => rig.Delivered[2].ContainsKey(hex), TimeSpan.FromSeconds(10)));
            Assert.True(rig.Gossips[0].Publish(transaction));
        }
        Assert.True(await Eventually.HoldsAsync(() => rig.Delivered[3].Count == 50, TimeSpan.FromSeconds(20)), $"node 3 got {rig.Delivered[3].Count} of 50");
    }

    [Fact]
    public async Task A_peer_whose_links_are_malformed_is_taken_as_connected_to_no_one_and_its_transactions_are_relayed()
    {
        await using PeerCluster cluster = PeerCluster.Create(3);
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, TimeSpan.FromSeconds(20)));
        await using var rig = new GossipRig(cluster, withLinks: true);
        Assert.True(await Eventually.HoldsAsync(rig.LinksSettled, TimeSpan.FromSeconds(20)));

        // Not a whole number of keys.
        cluster.Nodes[1].Network!.Broadcast(GossipRig.LinksChannel, new byte[PeerKey.Size + 5]);
        Assert.True(await Eventually.HoldsAsync(
            () => !rig.Links[0]!.Says(cluster.Nodes[1].Key, cluster.Nodes[2].Key) && !rig.Links[2]!.Says(cluster.Nodes[1].Key, cluster.Nodes[0].Key),
            TimeSpan.FromSeconds(20)));
        await rig.PublishAndAwaitAsync(100, [1], [0, 1, 2], 4);

        // 0 and 2 pass 1's transactions on to each other: whichever of them first gets a transaction from 1 relays it, so
        // every transaction arrives at least once more (with 1's word kept, none would: the full mesh relays nothing).
        // Whether the other relays it too depends on which copy reaches it first (1's own, or the relayed one, when 1's
        // queue to it is slower), so the count lies between one and two per transaction.
        Assert.True(await Eventually.HoldsAsync(() => rig.Duplicates >= 100, TimeSpan.FromSeconds(10)), $"{rig.Duplicates} duplicates, fewer than 100");
        Assert.True(rig.Duplicates <= 2 * 100, $"{rig.Duplicates} duplicates, more than 200");
    }
}
