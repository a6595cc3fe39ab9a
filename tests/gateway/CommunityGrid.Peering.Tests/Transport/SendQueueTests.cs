using System;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests.Transport;

public sealed class SendQueueTests
{
    private static OutgoingMessage Message(byte channel, byte tag, int size = 100)
    {
        byte[] payload = new byte[size];
        payload[0] = tag;
        return new OutgoingMessage(channel, payload);
    }

    [Fact]
    public void When_full_the_oldest_droppable_message_makes_room()
    {
        var queue = new SendQueue(maxBytes: 300, maxMessages: 100);
        Assert.Equal(SendQueue.Outcome.Queued, queue.Enqueue(Message(2, 1), canDrop: true));
        Assert.Equal(SendQueue.Outcome.Queued, queue.Enqueue(Message(2, 2), canDrop: true));
        Assert.Equal(SendQueue.Outcome.Queued, queue.Enqueue(Message(2, 3), canDrop: true));
        Assert.Equal(SendQueue.Outcome.QueuedAfterDroppingOlder, queue.Enqueue(Message(2, 4), canDrop: true));

        Assert.Equal(1, queue.Dropped);
        Assert.Equal(300, queue.QueuedBytes);
        Assert.Equal(new byte[] { 2, 3, 4 }, DrainTags(queue));
    }

    [Fact]
    public void Undroppable_messages_push_out_droppable_ones_but_are_never_dropped_themselves()
    {
        var queue = new SendQueue(maxBytes: 300, maxMessages: 100);
        queue.Enqueue(Message(2, 1), canDrop: true);
        queue.Enqueue(Message(1, 10), canDrop: false);
        queue.Enqueue(Message(1, 11), canDrop: false);
        Assert.Equal(SendQueue.Outcome.QueuedAfterDroppingOlder, queue.Enqueue(Message(1, 12), canDrop: false));
        Assert.Equal(SendQueue.Outcome.Full, queue.Enqueue(Message(1, 13), canDrop: false));
        Assert.Equal(SendQueue.Outcome.DroppedThisMessage, queue.Enqueue(Message(2, 2), canDrop: true));

        Assert.Equal(new byte[] { 10, 11, 12 }, DrainTags(queue));
    }

    [Fact]
    public void Undroppable_messages_go_out_before_droppable_ones()
    {
        var queue = new SendQueue(maxBytes: 10_000, maxMessages: 100);
        queue.Enqueue(Message(2, 1), canDrop: true);
        queue.Enqueue(Message(1, 2), canDrop: false);
        queue.Enqueue(Message(2, 3), canDrop: true);
        queue.Enqueue(Message(1, 4), canDrop: false);
        Assert.Equal(new byte[] { 2, 4, 1, 3 }, DrainTags(queue));
    }

    [Fact]
    public void The_message_count_is_bounded_too()
    {
        var queue = new SendQueue(maxBytes: 1_000_000, maxMessages: 3);
        for (byte tag = 0; tag < 10; tag++)
        {
            queue.Enqueue(Message(2, tag, size: 1), canDrop: true);
        }
        Assert.Equal(3, queue.Count);
        Assert.Equal(7, queue.Dropped);
    }

    [Fact]
    public async Task An_empty_queue_returns_nothing_after_the_wait()
    {
        var queue = new SendQueue(maxBytes: 1000, maxMessages: 10);
        Assert.Null(await queue.DequeueAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    private static byte[] DrainTags(SendQueue queue)
    {
        var tags = new System.Collections.Generic.List<byte>();
        while (queue.DequeueAsync(TimeSpan.Zero, CancellationToken.None).Result is { } message)
        {
            tags.Add(message.Payload[0]);
        }
        return tags.ToArray();
    }
}
