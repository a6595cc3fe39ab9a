using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Gossip;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests.Gossip;

public sealed class TransactionGossipTests
{
    private const byte TransactionChannel = 2;

    [Fact]
    public async Task A_thousand_transactions_from_random_nodes_reach_every_node_exactly_once_even_over_a_missing_link()
    {
        await using PeerCluster cluster = PeerCluster.Create(4, ClusterRelays.PerLink);
        await cluster.StartAllAsync();
        // No direct link between 0 and 3: their transactions must be passed on by 1 or 2.
        cluster.Partition([0], [3]);
        Assert.True(await Eventually.HoldsAsync(
            () => cluster.Connected([0, 1, 2]) && cluster.Connected([1, 2, 3]) && !cluster.Connected([0, 3]), TimeSpan.FromSeconds(20)));

        int nodes = cluster.Nodes.Count;
        var gossips = cluster.Nodes.Select(node => new TransactionGossip(node.Network!, TransactionChannel)).ToArray();
        var delivered = Enumerable.Range(0, nodes).Select(_ => new ConcurrentDictionary<string, int>()).ToArray();
        int duplicates = 0;
        var inboxes = Enumerable.Range(0, nodes).Select(i => new Inbox(cluster.Nodes[i].Network!, message =>
        {
            if (gossips[i].Accept(message))
            {
                delivered[i].AddOrUpdate(Convert.ToHexString(message.Payload), 1, (_, count) => count + 1);
            }
            else
            {
                Interlocked.Increment(ref duplicates);
            }
        })).ToArray();
        try
        {
            var random = new Random(20261204);
            var publishedBy = new int[1000];
            for (int tx = 0; tx < publishedBy.Length; tx++)
            {
                byte[] transaction = new byte[40];
                random.NextBytes(transaction);
                BitConverter.TryWriteBytes(transaction, tx);
                publishedBy[tx] = random.Next(nodes);
                Assert.True(gossips[publishedBy[tx]].Publish(transaction));
                Assert.False(gossips[publishedBy[tx]].Publish(transaction));
            }

            int expectedPerNode(int node) => publishedBy.Count(publisher => publisher != node);
            Assert.True(await Eventually.HoldsAsync(
                () => Enumerable.Range(0, nodes).All(node => delivered[node].Count == expectedPerNode(node)), TimeSpan.FromSeconds(30)),
                string.Join(", ", delivered.Select(d => d.Count)));
            await Task.Delay(300);

            for (int node = 0; node < nodes; node++)
            {
                Assert.Equal(expectedPerNode(node), delivered[node].Count);
                Assert.All(delivered[node].Values, count => Assert.Equal(1, count));
            }
            Assert.True(publishedBy.Contains(0) && publishedBy.Contains(3));
            Assert.True(duplicates > 0, "with relaying, some copies arrive twice and must be recognised");
        }
        finally
        {
            foreach (Inbox inbox in inboxes)
            {
                await inbox.DisposeAsync();
            }
        }
    }
}
