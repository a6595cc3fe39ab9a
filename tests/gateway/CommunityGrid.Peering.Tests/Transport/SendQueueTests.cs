using System;
using System.Collections.Generic;
using System.Linq;
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
        var batch = new List<OutgoingMessage>();
        Assert.Equal(0, await queue.DequeueBatchAsync(batch, 64 * 1024, TimeSpan.FromMilliseconds(20), CancellationToken.None));
        Assert.Empty(batch);
    }

    [Fact]
    public async Task A_batch_takes_undroppable_messages_first_each_kind_in_order_up_to_its_byte_bound()
    {
        var queue = new SendQueue(maxBytes: 10_000, maxMessages: 100);
        queue.Enqueue(Message(2, 1), canDrop: true);
        queue.Enqueue(Message(1, 2), canDrop: false);
        queue.Enqueue(Message(2, 3), canDrop: true);
        queue.Enqueue(Message(1, 4), canDrop: false);
        queue.Enqueue(Message(2, 5), canDrop: true);

        // Each frame is 105 bytes (header, channel, 100): a bound of 315 takes three.
        var batch = new List<OutgoingMessage>();
        Assert.Equal(3, await queue.DequeueBatchAsync(batch, 315, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(new byte[] { 2, 4, 1 }, batch.Select(message => message.Payload[0]).ToArray());
        Assert.Equal(200, queue.QueuedBytes);
        Assert.Equal(new byte[] { 3, 5 }, DrainTags(queue));
    }

    [Fact]
    public async Task A_message_larger_than_the_batch_bound_goes_out_alone()
    {
        var queue = new SendQueue(maxBytes: 10_000, maxMessages: 100);
        queue.Enqueue(Message(1, 1, size: 5000), canDrop: false);
        queue.Enqueue(Message(1, 2), canDrop: false);

        var batch = new List<OutgoingMessage>();
        Assert.Equal(1, await queue.DequeueBatchAsync(batch, 1000, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(5000, batch.Single().Payload.Length);
        Assert.Equal(new byte[] { 2 }, DrainTags(queue));
    }

    [Fact]
    public async Task Droppable_messages_left_after_a_batch_are_still_dropped_oldest_first()
    {
        var queue = new SendQueue(maxBytes: 300, maxMessages: 100);
        queue.Enqueue(Message(2, 1), canDrop: true);
        var batch = new List<OutgoingMessage>();
        await queue.DequeueBatchAsync(batch, 64 * 1024, TimeSpan.Zero, CancellationToken.None);
        queue.Enqueue(Message(2, 2), canDrop: true);
        queue.Enqueue(Message(2, 3), canDrop: true);
        queue.Enqueue(Message(2, 4), canDrop: true);
        Assert.Equal(SendQueue.Outcome.QueuedAfterDroppingOlder, queue.Enqueue(Message(2, 5), canDrop: true));

        Assert.Equal(1, queue.Dropped);
        Assert.Equal(new byte[] { 3, 4, 5 }, DrainTags(queue));
    }

    [Fact]
    public async Task A_waiting_batch_wakes_for_a_message_enqueued_while_it_waits()
    {
        var queue = new SendQueue(maxBytes: 10_000, maxMessages: 100);
        var batch = new List<OutgoingMessage>();
        Task<int> waiting = queue.DequeueBatchAsync(batch, 64 * 1024, TimeSpan.FromSeconds(30), CancellationToken.None);
        queue.Enqueue(Message(1, 7), canDrop: false);
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(7, batch.Single().Payload[0]);
    }

    [Fact]
    public async Task A_wake_up_for_messages_an_earlier_batch_already_took_does_not_end_the_wait_early()
    {
        var queue = new SendQueue(maxBytes: 10_000, maxMessages: 100);
        var batch = new List<OutgoingMessage>();
        // The enqueue signals the writer; this batch takes the message without consuming that signal.
        queue.Enqueue(Message(1, 1), canDrop: false);
        Assert.Equal(1, await queue.DequeueBatchAsync(batch, 64 * 1024, TimeSpan.Zero, CancellationToken.None));
        batch.Clear();

        Task<int> waiting = queue.DequeueBatchAsync(batch, 64 * 1024, TimeSpan.FromSeconds(30), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "the leftover signal ended the wait: the writer would have sent a needless ping");
        queue.Enqueue(Message(1, 2), canDrop: false);
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, batch.Single().Payload[0]);
    }

    private static byte[] DrainTags(SendQueue queue)
    {
        // A bound of one byte takes one message per batch: the order the writer would send them in.
        var tags = new List<byte>();
        var batch = new List<OutgoingMessage>();
        while (queue.DequeueBatchAsync(batch, 1, TimeSpan.Zero, CancellationToken.None).Result > 0)
        {
            tags.Add(batch.Single().Payload[0]);
            batch.Clear();
        }
        return tags.ToArray();
    }
}
