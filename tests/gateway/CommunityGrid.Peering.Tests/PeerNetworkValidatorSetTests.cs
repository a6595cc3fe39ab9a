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
    public async Task A_set_without_this_nodes_key_is_refused()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await cluster.StartAsync(0);
        var error = Assert.Throws<ArgumentException>(() => cluster.Nodes[0].Network!.UpdateValidators(cluster.ViewOf(0).Skip(1)));
        Assert.Contains("is not in the validator set", error.Message);
        Assert.Single(cluster.Nodes[0].Network!.Peers);
    }
}
