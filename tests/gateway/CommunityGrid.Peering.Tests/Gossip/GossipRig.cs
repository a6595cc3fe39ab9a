using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Gossip;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests.Gossip;

/// <summary>
/// A cluster's nodes each with a <see cref="TransactionGossip"/> (with or without <see cref="PeerLinks"/>), counting
/// per node the transactions its host was given and the copies it recognised as duplicates.
/// </summary>
internal sealed class GossipRig : IAsyncDisposable
{
    public const byte TransactionChannel = 2;
    public const byte LinksChannel = 5;

    private readonly Inbox[] inboxes;
    private int duplicates;

    public PeerCluster Cluster { get; }
    public TransactionGossip[] Gossips { get; }
    public PeerLinks?[] Links { get; }
    public ConcurrentDictionary<string, int>[] Delivered { get; }
    public int Duplicates => Volatile.Read(ref duplicates);

    /// <summary><paramref name="honest"/>: nodes whose gossip runs; the others' received messages are dropped unread.</summary>
    public GossipRig(PeerCluster cluster, bool withLinks, Func<int, bool>? honest = null)
    {
        Cluster = cluster;
        int nodes = cluster.Nodes.Count;
        honest ??= _ => true;
        Links = cluster.Nodes.Select(node => withLinks ? new PeerLinks(node.Network!, LinksChannel) : null).ToArray();
        Gossips = Enumerable.Range(0, nodes).Select(i => new TransactionGossip(cluster.Nodes[i].Network!, TransactionChannel, Links[i])).ToArray();
        Delivered = Enumerable.Range(0, nodes).Select(_ => new ConcurrentDictionary<string, int>()).ToArray();
        inboxes = Enumerable.Range(0, nodes).Select(i => new Inbox(cluster.Nodes[i].Network!, message =>
        {
            if (!honest(i))
            {
                return;
            }
            if (message.Channel == LinksChannel)
            {
                Links[i]!.Accept(message);
            }
            else if (Gossips[i].Accept(message))
            {
                Delivered[i].AddOrUpdate(Convert.ToHexString(message.Payload), 1, (_, count) => count + 1);
            }
            else
            {
                Interlocked.Increment(ref duplicates);
            }
        })).ToArray();
    }

    /// <summary>True once every node's links say of each of its peers exactly what the cluster's connections are.</summary>
    public bool LinksSettled()
    {
        int nodes = Cluster.Nodes.Count;
        for (int viewer = 0; viewer < nodes; viewer++)
        {
            for (int peer = 0; peer < nodes; peer++)
            {
                if (peer == viewer || !Cluster.Connected([viewer, peer])) continue;
                for (int other = 0; other < nodes; other++)
                {
                    if (other == peer || other == viewer) continue;
                    if (Links[viewer]!.Says(Cluster.Nodes[peer].Key, Cluster.Nodes[other].Key) != Cluster.Connected([peer, other])) return false;
                }
            }
        }
        return true;
    }

    public static byte[] Transaction(Random random, int index)
    {
        byte[] transaction = new byte[40];
        random.NextBytes(transaction);
        BitConverter.TryWriteBytes(transaction, index);
        return transaction;
    }

    /// <summary>Publishes <paramref name="count"/> transactions from random nodes of <paramref name="publishers"/>, then
    /// waits until every node of <paramref name="receivers"/> holds every one it did not publish; false if that never happens.</summary>
    public async Task<int[]> PublishAndAwaitAsync(int count, int[] publishers, int[] receivers, int seed)
    {
        var random = new Random(seed);
        var publishedBy = new int[count];
        var hexes = new string[count];
        for (int tx = 0; tx < count; tx++)
        {
            publishedBy[tx] = publishers[random.Next(publishers.Length)];
            byte[] transaction = Transaction(random, tx);
            hexes[tx] = Convert.ToHexString(transaction);
            Assert.True(Gossips[publishedBy[tx]].Publish(transaction));
        }
        int missing(int node) => Enumerable.Range(0, count).Count(tx => publishedBy[tx] != node && !Delivered[node].ContainsKey(hexes[tx]));
        Assert.True(await Eventually.HoldsAsync(() => receivers.All(node => missing(node) == 0), TimeSpan.FromSeconds(30)),
            "missing per node: " + string.Join(", ", receivers.Select(missing)));
        await Task.Delay(300);
        foreach (int node in receivers)
        {
            Assert.Equal(0, missing(node));
            Assert.All(Delivered[node].Values, copies => Assert.Equal(1, copies));
            Assert.DoesNotContain(Enumerable.Range(0, count), tx => publishedBy[tx] == node && Delivered[node].ContainsKey(hexes[tx]));
        }
        return publishedBy;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Inbox inbox in inboxes)
        {
            await inbox.DisposeAsync();
        }
    }
}
