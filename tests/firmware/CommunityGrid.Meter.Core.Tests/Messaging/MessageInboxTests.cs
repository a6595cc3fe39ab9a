using System;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

public sealed class MessageInboxTests
{
    [Fact]
    public void Messages_come_out_oldest_first_and_an_empty_inbox_gives_null()
    {
        var inbox = new MessageInbox(4);
        Assert.Null(inbox.Take());
        Assert.True(inbox.Add("a", new byte[] { 1 }));
        Assert.True(inbox.Add("b", new byte[] { 2 }));
        InboxMessage first = inbox.Take()!;
        Assert.Equal(("a", (byte)1), (first.Topic, first.Payload[0]));
        Assert.Equal("b", inbox.Take()!.Topic);
        Assert.Null(inbox.Take());
    }

    [Fact]
    public void A_full_inbox_drops_and_counts_what_does_not_fit()
    {
        var inbox = new MessageInbox(2);
        Assert.True(inbox.Add("a", new byte[0]));
        Assert.True(inbox.Add("b", new byte[0]));
        Assert.False(inbox.Add("c", new byte[0]));
        Assert.Equal(1, inbox.DroppedCount);
        Assert.Equal("a", inbox.Take()!.Topic);
        Assert.True(inbox.Add("d", new byte[0]));
        Assert.Equal("b", inbox.Take()!.Topic);
        Assert.Equal("d", inbox.Take()!.Topic);
    }

    [Fact]
    public async Task A_receiving_thread_and_the_main_loop_lose_nothing_between_them()
    {
        var inbox = new MessageInbox(100_000);
        const int Count = 20_000;
        Task producer = Task.Run(() =>
        {
            for (int i = 0; i < Count; i++) inbox.Add("t", BitConverter.GetBytes(i));
        });
        int expected = 0;
        while (expected < Count)
        {
            InboxMessage? message = inbox.Take();
            if (message == null) continue;
            Assert.Equal(expected, BitConverter.ToInt32(message.Payload));
            expected++;
        }
        await producer;
        Assert.Equal(0, inbox.DroppedCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessageInbox(0));
    }
}
