using System.Linq;
using CommunityGrid.Meter.Linux.Runtime;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

public sealed class OutboxTests
{
    private static ReadingQueue QueueWith(int count)
    {
        var queue = new ReadingQueue(new MemoryFileStore(), new QueueOptions());
        queue.Open();
        for (int sequence = 1; sequence <= count; sequence++) queue.Append(sequence, new byte[] { (byte)sequence });
        return queue;
    }

    [Fact]
    public void Each_reading_goes_once_per_connection_until_the_oldest_waited_too_long_then_the_window_goes_again_in_order()
    {
        var queue = QueueWith(3);
        var outbox = new Outbox(window: 32, resendAfterMs: 1000);
        var first = outbox.Due(queue, connectionGeneration: 1, nowMs: 0);
        Assert.Equal(new long[] { 1, 2, 3 }, first.Select(r => r.Sequence));
        foreach (var reading in first) outbox.MarkSent(reading.Sequence, 0);

        queue.Append(4, new byte[] { 4 });
        Assert.Equal(new long[] { 4 }, outbox.Due(queue, 1, 500).Select(r => r.Sequence));
        outbox.MarkSent(4, 500);
        Assert.Empty(outbox.Due(queue, 1, 999));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, outbox.Due(queue, 1, 1000).Select(r => r.Sequence));
    }

    [Fact]
    public void A_new_connection_sends_everything_waiting_and_acknowledged_readings_never_come_back()
    {
        var queue = QueueWith(5);
        var outbox = new Outbox(window: 32, resendAfterMs: 60_000);
        foreach (var reading in outbox.Due(queue, 1, 0)) outbox.MarkSent(reading.Sequence, 0);
        Assert.True(queue.Acknowledge(3));
        Assert.Equal(new long[] { 4, 5 }, outbox.Due(queue, 2, 10).Select(r => r.Sequence));
    }

    [Fact]
    public void At_most_a_window_of_the_oldest_readings_is_in_flight()
    {
        var queue = QueueWith(50);
        var outbox = new Outbox(window: 32, resendAfterMs: 1000);
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (long)i), outbox.Due(queue, 1, 0).Select(r => r.Sequence));
    }
}
