using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.Transport;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests;

/// <summary>What a peer cannot make this node hold: a huge frame, or an ever-growing queue by not reading.</summary>
public sealed class PeerNetworkBoundsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_frame_announced_larger_than_the_maximum_closes_the_connection_without_being_allocated()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await cluster.StartAsync(1);
        await using RawPeer peer = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        PeerNetwork node = cluster.Nodes[1].Network!;
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1_500_000_000);
        await peer.Stream.WriteAsync(header);
        await peer.Stream.WriteAsync(new byte[] { 1, 2, 3 });
        await peer.Stream.FlushAsync();

        // The connection reads as closed as soon as it is, a moment before the disconnect handler records why: wait for both.
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single() is { Connected: false, LastError: not null }, Patience));
        Assert.Equal($"frame of 1500000000 bytes exceeds the maximum of {PeerCluster.FastOptions().MaxFrameBytes}", node.Peers.Single().LastError);
        Assert.True(cluster.Nodes[1].Logger.Contains("exceeds the maximum"));
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 200_000_000, "the announced frame was allocated");
    }

    [Fact]
    public async Task A_stalled_peer_costs_at_most_its_send_queue_and_droppable_gossip_is_dropped_oldest_first()
    {
        const long queueBytes = 1024 * 1024;
        await using PeerCluster cluster = PeerCluster.Create(2, configure: StalledPeerOptions(queueBytes));
        await cluster.StartAsync(1);
        // Node 0's key, but it never reads: the kernel buffers fill, then the node's queue, then gossip is dropped.
        await using RawPeer stalled = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        PeerNetwork node = cluster.Nodes[1].Network!;
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        const int messages = 2000;
        const int size = 16 * 1024;
        for (int i = 0; i < messages; i++)
        {
            node.Broadcast(2, new byte[size]);
        }
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        PeerStatus status = node.Peers.Single();
        Assert.True(status.Connected);
        Assert.InRange(status.QueuedBytes, 0, queueBytes);
        Assert.True(status.MessagesDropped > messages / 4, $"only {status.MessagesDropped} dropped");
        // 32 MB were offered; without the bound the heap would hold most of it.
        Assert.True(heapAfter - heapBefore < 8 * 1024 * 1024, $"heap grew by {heapAfter - heapBefore} bytes");
    }

    [Fact]
    public async Task Undroppable_messages_to_a_stalled_peer_are_never_dropped_silently_the_connection_is_closed()
    {
        await using PeerCluster cluster = PeerCluster.Create(2, configure: StalledPeerOptions(1024 * 1024));
        await cluster.StartAsync(1);
        await using RawPeer stalled = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        PeerNetwork node = cluster.Nodes[1].Network!;
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));
        var disconnected = new List<PeerKey>();
        node.PeerDisconnected += key => { lock (disconnected) { disconnected.Add(key); } };

        int accepted = 0;
        while (accepted < 5000 && node.Send(cluster.Nodes[0].Key, 1, new byte[16 * 1024]))
        {
            accepted++;
        }

        Assert.True(accepted < 5000, "the queue never filled");
        Assert.False(node.Peers.Single().Connected);
        Assert.False(node.Send(cluster.Nodes[0].Key, 1, [1]));
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().LastError is not null, Patience));
        PeerStatus status = node.Peers.Single();
        Assert.StartsWith("send queue full with undroppable messages (channel 1)", status.LastError);
        Assert.Equal(0, status.MessagesDropped);
        Assert.True(await Eventually.HoldsAsync(() => { lock (disconnected) { return disconnected.Count == 1; } }, Patience));
    }

    [Fact]
    public async Task A_peer_flooding_a_host_that_does_not_read_is_held_back_by_flow_control_not_buffered()
    {
        const long queueBytes = 1024 * 1024;
        await using PeerCluster cluster = PeerCluster.Create(2, configure: StalledPeerOptions(queueBytes));
        await cluster.StartAsync(1);
        await using RawPeer flooder = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        PeerNetwork node = cluster.Nodes[1].Network!;
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        // Nobody reads node 1's messages. The flooder writes until its writes stop being taken (3 s without progress).
        const int frames = 2000;
        const int size = 16 * 1024;
        byte[] payload = new byte[size];
        int written = 0;
        while (written < frames)
        {
            using var stuck = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await FrameCodec.WriteAsync(flooder.Stream, 1, payload, 64 * 1024, stuck.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            written++;
        }
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(written < frames, "the node took 32 MB without its host reading any of it");
        Assert.True(heapAfter - heapBefore < 8 * 1024 * 1024, $"heap grew by {heapAfter - heapBefore} bytes");
        // The node's own host is the one not reading: that is no reason to call the peer dead.
        Assert.True(node.Peers.Single().Connected);
    }

    private static Func<PeerNetworkOptions, PeerNetworkOptions> StalledPeerOptions(long queueBytes) => options => options with
    {
        MaxFrameBytes = 64 * 1024,
        SendQueueBytes = queueBytes,
        ReceiveQueueBytes = queueBytes,
        // Long enough that the stalled peer stays connected while the test fills its queue.
        IdleTimeout = TimeSpan.FromSeconds(30),
        DroppableChannels = new HashSet<byte> { 2 },
    };
}
