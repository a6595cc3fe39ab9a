using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.Transport;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests;

/// <summary>
/// The writer sends whatever is queued in one write and the reader parses several frames per read: over a real TLS
/// connection every message must still arrive whole, once, and in order per channel.
/// </summary>
public sealed class PeerNetworkCoalescingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const int MaxFrame = 256 * 1024;

    [Fact]
    public async Task A_burst_of_small_messages_with_near_maximum_ones_interleaved_arrives_whole_and_in_order_per_channel()
    {
        await using PeerCluster cluster = PeerCluster.Create(2, configure: options => options with
        {
            MaxFrameBytes = MaxFrame,
            DroppableChannels = new HashSet<byte> { 2 },
        });
        await cluster.StartAllAsync();
        Assert.True(await Eventually.HoldsAsync(() => cluster.FullMesh, Patience), "no connection within 30 s");
        PeerNetwork sender = cluster.Nodes[0].Network!;
        await using var inbox = new Inbox(cluster.Nodes[1].Network!);

        // Sizes around the batch bound and the frame maximum, so batches end at, just before and just after them.
        var sent = new List<(byte Channel, byte[] Payload)>();
        var random = new Random(18);
        for (int i = 0; i < 3000; i++)
        {
            byte channel = (byte)(1 + i % 3);
            int size = (i % 500) switch
            {
                17 => MaxFrame - 1,
                101 => PeerConnection.MaxBatchBytes - FrameCodec.HeaderBytes - 1,
                202 => PeerConnection.MaxBatchBytes,
                _ => random.Next(0, 300),
            };
            byte[] payload = new byte[size];
            random.NextBytes(payload);
            // The message's index in its first bytes, so a loss, a repeat or a reordering shows by position.
            if (size >= 4)
            {
                BitConverter.TryWriteBytes(payload, i);
            }
            sent.Add((channel, payload));
            Assert.Equal(1, sender.Broadcast(channel, payload));
        }

        Assert.True(await Eventually.HoldsAsync(() => inbox.Messages.Count >= sent.Count, Patience), $"only {inbox.Messages.Count} of {sent.Count} arrived");
        Assert.Equal(0, sender.Peers.Single().MessagesDropped);
        foreach (byte channel in new byte[] { 1, 2, 3 })
        {
            byte[][] expected = sent.Where(message => message.Channel == channel).Select(message => message.Payload).ToArray();
            byte[][] received = inbox.Messages.Where(message => message.Channel == channel).Select(message => message.Payload).ToArray();
            Assert.Equal(expected.Length, received.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], received[i]);
            }
        }
        Assert.True(sender.Peers.Single().Connected);
    }
}
