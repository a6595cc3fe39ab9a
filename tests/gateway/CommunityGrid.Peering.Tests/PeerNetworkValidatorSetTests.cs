using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests;

/// <summary>The network follows a validator-set change: the leaver is cut off, the newcomer joins the mesh.</summary>
public sealed class PeerNetworkValidatorSetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_set_change_disconnects_the_validator_that_left_and_meshes_the_one_that_joined()
    {
        await using PeerCluster cluster = PeerCluster.Create(4);
        PeerValidator[] Set(params int[] members) => cluster.ViewOf(0).Where((_, index) => members.Contains(index)).ToArray();
        foreach (int index in new[] { 0, 1, 2 })
        {
            await cluster.StartAsync(index, Set(0, 1, 2));
        }
        Assert.True(await Eventually.HoldsAsync(() => cluster.Connected([0, 1, 2]), Patience));

        // Validator 2 leaves, validator 3 joins: the change takes effect on 0 and 1, and 3 starts with the new set.
        cluster.Nodes[0].Network!.UpdateValidators(Set(0, 1, 3));
        cluster.Nodes[1].Network!.UpdateValidators(Set(0, 1, 3));
        await cluster.StartAsync(3, Set(0, 1, 3));

        Assert.True(await Eventually.HoldsAsync(() => cluster.Connected([0, 1, 3]), Patience));
        Assert.True(await Eventually.HoldsAsync(() => cluster.Nodes[2].Network!.Peers.All(peer => !peer.Connected), Patience));
        PeerKey leaver = cluster.Nodes[2].Key;
        foreach (int index in new[] { 0, 1 })
        {
            PeerNetwork network = cluster.Nodes[index].Network!;
            Assert.Equal([cluster.Nodes[1 - index].Key, cluster.Nodes[3].Key], network.Peers.Select(peer => peer.Key).Order().ToArray());
            Assert.False(network.Send(leaver, 1, [1]));
        }
        Assert.True(cluster.Nodes[0].Logger.Contains($"Validator {leaver.Short} left the validator set"));

        // The leaver still believes in the old set; the new set is what counts on the others: stays cut off.
        await Task.Delay(500);
        Assert.All(cluster.Nodes[2].Network!.Peers, peer => Assert.False(peer.Connected));
    }

    [Fact]
    public async Task A_node_outside_the_set_it_knows_meshes_with_validators_that_list_it()
    {
        await using PeerCluster cluster = PeerCluster.Create(3);
        PeerValidator[] Set(params int[] members) => cluster.ViewOf(0).Where((_, index) => members.Contains(index)).ToArray();
        // Node 2 was added by a vote it has not replayed yet: it knows the set {0, 1}; 0 and 1 already list it.
        await cluster.StartAsync(0, Set(0, 1, 2));
        await cluster.StartAsync(1, Set(0, 1, 2));
        await cluster.StartAsync(2, Set(0, 1));
        Assert.False(cluster.Nodes[2].Network!.IsMember);

        Assert.True(await Eventually.HoldsAsync(() => cluster.Connected([0, 1, 2]), Patience));
        Assert.Equal([cluster.Nodes[0].Key, cluster.Nodes[1].Key], cluster.Nodes[2].Network!.Peers.Select(peer => peer.Key).Order().ToArray());

        // Once it has replayed the change it is a member of the set it follows.
        cluster.Nodes[2].Network!.UpdateValidators(Set(0, 1, 2));
        Assert.True(cluster.Nodes[2].Network!.IsMember);
        Assert.True(cluster.Connected([0, 1, 2]));
    }

    [Fact]
    public async Task Validators_that_do_not_list_a_node_outside_their_set_refuse_it()
    {
        await using PeerCluster cluster = PeerCluster.Create(3);
        PeerValidator[] Set(params int[] members) => cluster.ViewOf(0).Where((_, index) => members.Contains(index)).ToArray();
        // No vote added node 0 (the lowest key, so it is the one that dials): the validators refuse it, whatever it believes.
        await cluster.StartAsync(1, Set(1, 2));
        await cluster.StartAsync(2, Set(1, 2));
        await cluster.StartAsync(0, Set(1, 2));
        Assert.True(await Eventually.HoldsAsync(() => cluster.Connected([1, 2]), Patience));
        string reason = $"key {cluster.Nodes[0].Key.Short} is not in the validator set";
        Assert.True(await Eventually.HoldsAsync(() => cluster.Nodes[1].Logger.Contains(reason) && cluster.Nodes[2].Logger.Contains(reason), Patience));
        Assert.All(cluster.Nodes[0].Network!.Peers, peer => Assert.False(peer.Connected));
    }
}
