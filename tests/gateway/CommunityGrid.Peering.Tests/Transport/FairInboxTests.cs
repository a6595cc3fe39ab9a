using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.TestSupport;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests.Transport;

public sealed class FairInboxTests
{
    [Fact]
    public async Task A_flooding_peer_gets_one_turn_per_round_like_a_quiet_one()
    {
        var inbox = new FairInbox();
        var flooder = new ReceiveQueue(1_000_000, inbox);
        var quiet = new ReceiveQueue(1_000_000, inbox);
        inbox.Add(flooder);
        inbox.Add(quiet);
        PeerKey flooderKey = TestKeys.New().Key;
        PeerKey quietKey = TestKeys.New().Key;
        for (int i = 0; i < 100; i++)
        {
            await flooder.EnqueueAsync(new PeerMessage(flooderKey, 1, [(byte)i]), CancellationToken.None);
        }
        for (int i = 0; i < 3; i++)
        {
            await quiet.EnqueueAsync(new PeerMessage(quietKey, 1, [(byte)i]), CancellationToken.None);
        }

        var firstSix = new List<PeerKey>();
        using var timeout = new CancellationTokenSource(5000);
        await foreach (PeerMessage message in inbox.ReadAllAsync(timeout.Token))
        {
            firstSix.Add(message.From);
            if (firstSix.Count == 6)
            {
                break;
            }
        }
        Assert.Equal(3, firstSix.FindAll(key => key.Equals(quietKey)).Count);
    }

    [Fact]
    public async Task A_full_receive_queue_holds_its_reader_back_instead_of_growing()
    {
        var inbox = new FairInbox();
        var queue = new ReceiveQueue(maxBytes: 1000, inbox);
        inbox.Add(queue);
        PeerKey key = TestKeys.New().Key;
        await queue.EnqueueAsync(new PeerMessage(key, 1, new byte[600]), CancellationToken.None);

        Task blocked = queue.EnqueueAsync(new PeerMessage(key, 1, new byte[600]), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(blocked.IsCompleted);
        Assert.True(queue.WaitingForHost);

        Assert.True(queue.TryDequeue(out _));
        await blocked.WaitAsync(System.TimeSpan.FromSeconds(5));
        Assert.False(queue.WaitingForHost);
    }
}
