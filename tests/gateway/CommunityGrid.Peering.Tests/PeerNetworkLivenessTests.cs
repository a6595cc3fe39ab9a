using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.TestSupport;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests;

/// <summary>Peers that die, come back, go silent, or are cut off by the network, and how the mesh heals.</summary>
public sealed class PeerNetworkLivenessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_killed_peer_is_redialed_with_backoff_and_rejoins_after_its_restart()
    {
        await using PeerCluster cluster = PeerCluster.Create(3);
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience));
        PeerKey middle = cluster.Nodes[1].Key;

        int linesBeforeStop = cluster.Nodes[0].Logger.Lines.Length;
        await cluster.StopAsync(1);
        PeerStatus Seen(int by) => cluster.Nodes[by].Network!.Peers.Single(peer => peer.Key.Equals(middle));
        Assert.True(await Eventually.HoldsAsync(() => !Seen(0).Connected && !Seen(2).Connected, Patience));
        // Node 0 dials node 1: while node 1 is down its attempts fail and are logged once, not once per attempt.
        Assert.True(await Eventually.HoldsAsync(() => cluster.Nodes[0].Logger.Contains($"Could not connect to validator {middle.Short}"), Patience));
        await Task.Delay(1500);
        Assert.Single(cluster.Nodes[0].Logger.Lines.Skip(linesBeforeStop), line => line.Contains($"Could not connect to validator {middle.Short}"));

        await cluster.StartAsync(1);

        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience));
        Assert.Equal(2, Seen(0).Connections);
        Assert.Equal(2, Seen(2).Connections);
        Assert.NotNull(Seen(0).LastError);
    }

    [Fact]
    public async Task A_peer_that_goes_silent_is_declared_dead_after_the_idle_timeout()
    {
        await using PeerCluster cluster = PeerCluster.Create(2);
        await cluster.StartAsync(1);
        // Node 0's key, but no node behind it: after the handshake it never sends a frame, not even a ping.
        await using RawPeer silent = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        PeerNetwork node = cluster.Nodes[1].Network!;
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));

        // Closed reads a moment before the disconnect handler records why: wait for both.
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single() is { Connected: false, LastError: not null }, Patience));
        Assert.StartsWith("no frame from the peer for 2 s", node.Peers.Single().LastError);
    }

    [Theory]
    [InlineData(ClusterRelays.PerLink)]
    [InlineData(ClusterRelays.PerNode)]
    public async Task Relays_partition_two_against_two_and_the_mesh_heals_when_they_are_lifted(ClusterRelays relays)
    {
        await using PeerCluster cluster = PeerCluster.Create(4, relays);
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience));
        Inbox[] inboxes = cluster.Nodes.Select(node => new Inbox(node.Network!)).ToArray();
        try
        {
            cluster.Partition([0, 1], [2, 3]);
            bool Split() => cluster.Connected([0, 1]) && cluster.Connected([2, 3])
                && cluster.Nodes[0].Network!.Peers.Count(peer => peer.Connected) == 1
                && cluster.Nodes[3].Network!.Peers.Count(peer => peer.Connected) == 1;
            Assert.True(await Eventually.HoldsAsync(Split, Patience));

            Assert.Equal(1, cluster.Nodes[0].Network!.Broadcast(1, [1]));
            Assert.True(await Eventually.HoldsAsync(() => inboxes[1].Count(1) == 1, Patience));
            await Task.Delay(500);
            Assert.True(Split(), "the partition did not hold");
            Assert.Equal(0, inboxes[2].Count(1) + inboxes[3].Count(1));

            cluster.HealAll();
            Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience));
            Assert.Equal(3, cluster.Nodes[0].Network!.Broadcast(1, [2]));
            Assert.True(await Eventually.HoldsAsync(() => inboxes.Skip(1).All(inbox => inbox.Count(1) == (inbox == inboxes[1] ? 2 : 1)), Patience));
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
    public async Task A_new_authenticated_connection_of_a_validator_replaces_its_half_dead_old_one()
    {
        await using PeerCluster cluster = PeerCluster.Create(2, configure: options => options with { IdleTimeout = TimeSpan.FromSeconds(30) });
        await cluster.StartAsync(1);
        PeerNetwork node = cluster.Nodes[1].Network!;
        await using RawPeer before = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));

        // Node 0 "restarted" without its old socket being closed: it dials again.
        await using RawPeer after = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);

        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single() is { Connected: true, Connections: 2 }, Patience));
        // The old connection was closed by the node: reading from it ends.
        byte[] buffer = new byte[64];
        var readUntilEnd = Task.Run(async () =>
        {
            try
            {
                while (await before.Stream.ReadAsync(buffer) > 0)
                {
                }
            }
            catch (System.IO.IOException)
            {
                // Reset instead of a clean close: ended as well.
            }
        });
        await readUntilEnd.WaitAsync(Patience);
        Assert.True(node.Send(cluster.Nodes[0].Key, 1, [1]));
    }

    [Fact]
    public async Task A_peer_that_pings_but_takes_no_bytes_is_declared_stalled_after_the_idle_timeout()
    {
        await using PeerCluster cluster = PeerCluster.Create(2, configure: options => options with
        {
            MaxFrameBytes = 64 * 1024,
            SendQueueBytes = 1024 * 1024,
            ReceiveQueueBytes = 1024 * 1024,
            DroppableChannels = new HashSet<byte> { 2 },
        });
        await cluster.StartAsync(1);
        await using RawPeer stalled = await RawPeer.ConnectAsync(cluster.Nodes[0].Seed, cluster.ViewOf(0), cluster.Nodes[1].Key, cluster.Nodes[1].Port);
        PeerNetwork node = cluster.Nodes[1].Network!;
        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single().Connected, Patience));
        // It looks alive (a ping every 200 ms) but never reads, so the node's writes stop being taken.
        using var stopPinging = new CancellationTokenSource();
        Task pinging = Task.Run(async () =>
        {
            try
            {
                while (!stopPinging.IsCancellationRequested)
                {
                    await FrameCodec.WriteAsync(stalled.Stream, 0, new byte[] { 4 }, 64, stopPinging.Token);
                    await Task.Delay(200, stopPinging.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or System.IO.IOException or ObjectDisposedException)
            {
                // Stopped by the test or by the node closing the connection.
            }
        });

        // Offer about 6 MB/s until the kernel buffers between the two are full and the node's writes stop being taken.
        var offering = System.Diagnostics.Stopwatch.StartNew();
        while (offering.Elapsed < Patience && node.Peers.Single().Connected)
        {
            for (int i = 0; i < 4; i++)
            {
                node.Broadcast(2, new byte[16 * 1024]);
            }
            await Task.Delay(10);
        }

        Assert.True(await Eventually.HoldsAsync(() => node.Peers.Single() is { Connected: false, LastError: not null }, Patience), node.Peers.Single().ToString());
        Assert.StartsWith("the peer took no bytes for 2 s: peer stalled", node.Peers.Single().LastError);
        stopPinging.Cancel();
        await pinging.WaitAsync(Patience);
    }
}
