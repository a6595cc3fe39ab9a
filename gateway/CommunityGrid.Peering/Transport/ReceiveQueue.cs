using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// One peer's received messages waiting for the host, bounded in bytes; one per peer for the life of the network,
/// shared by that peer's successive connections, so reconnecting cannot multiply the bound. When full, the peer's reader waits here:
/// its socket is not read, TCP flow control slows that peer down, and no other peer is affected.
/// </summary>
internal sealed class ReceiveQueue
{
    private readonly object gate = new();
    private readonly Queue<PeerMessage> messages = new();
    private readonly SemaphoreSlim space = new(0, 1);
    private readonly long maxBytes;
    private readonly FairInbox inbox;
    private long bytes;

    public ReceiveQueue(long maxBytes, FairInbox inbox)
    {
        this.maxBytes = maxBytes;
        this.inbox = inbox;
    }

    /// <summary>True while the reader waits for the host to take messages: the peer is not at fault for silence then.</summary>
    public bool WaitingForHost { get; private set; }

    public async Task EnqueueAsync(PeerMessage message, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (gate)
            {
                // An empty queue takes any message up to the frame maximum, so a large message cannot wedge it.
                if (messages.Count == 0 || bytes + message.Payload.Length <= maxBytes)
                {
                    messages.Enqueue(message);
                    bytes += message.Payload.Length;
                    WaitingForHost = false;
                    break;
                }
                WaitingForHost = true;
            }
            await space.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        inbox.Signal();
    }

    public bool TryDequeue(out PeerMessage message)
    {
        lock (gate)
        {
            if (!messages.TryDequeue(out message!))
            {
                return false;
            }
            bytes -= message.Payload.Length;
            if (space.CurrentCount == 0)
            {
                space.Release();
            }
            return true;
        }
    }

}
