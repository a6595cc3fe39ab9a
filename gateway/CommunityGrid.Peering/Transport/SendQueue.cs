using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// One peer's outgoing messages, bounded in bytes and count (docs/peering.md, "Drop policy"). Undroppable
/// messages (consensus) go out before droppable ones (gossip). When the queue is full, the oldest droppable
/// messages make room; if only undroppable ones are left, the enqueue fails and the caller closes the connection,
/// so nothing undroppable is ever lost without the peer's connection ending.
/// </summary>
internal sealed class SendQueue
{
    public enum Outcome
    {
        Queued,
        QueuedAfterDroppingOlder,
        DroppedThisMessage,
        Full,
    }

    private readonly object gate = new();
    private readonly Queue<OutgoingMessage> undroppable = new();
    private readonly Queue<OutgoingMessage> droppable = new();
    private readonly SemaphoreSlim available = new(0, 1);
    private readonly long maxBytes;
    private readonly int maxMessages;
    private long bytes;
    private long dropped;

    public SendQueue(long maxBytes, int maxMessages)
    {
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
    }

    public long QueuedBytes => Interlocked.Read(ref bytes);

    public long Dropped => Interlocked.Read(ref dropped);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return undroppable.Count + droppable.Count;
            }
        }
    }

    public Outcome Enqueue(OutgoingMessage message, bool canDrop)
    {
        lock (gate)
        {
            Outcome outcome = Outcome.Queued;
            while (!Fits(message) && droppable.Count > 0)
            {
                Remove(droppable.Dequeue());
                Interlocked.Increment(ref dropped);
                outcome = Outcome.QueuedAfterDroppingOlder;
            }
            if (!Fits(message))
            {
                if (canDrop)
                {
                    Interlocked.Increment(ref dropped);
                    return Outcome.DroppedThisMessage;
                }
                return Outcome.Full;
            }
            (canDrop ? droppable : undroppable).Enqueue(message);
            Interlocked.Add(ref bytes, message.Payload.Length);
            if (available.CurrentCount == 0)
            {
                available.Release();
            }
            return outcome;
        }
    }

    /// <summary>The next message (undroppable first), or null when none arrived within <paramref name="wait"/>.</summary>
    public async Task<OutgoingMessage?> DequeueAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (TryDequeue(out OutgoingMessage message))
        {
            return message;
        }
        await available.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        return TryDequeue(out message) ? message : null;
    }

    private bool TryDequeue(out OutgoingMessage message)
    {
        lock (gate)
        {
            if (undroppable.TryDequeue(out message) || droppable.TryDequeue(out message))
            {
                Remove(message);
                return true;
            }
            return false;
        }
    }

    private bool Fits(OutgoingMessage message) =>
        undroppable.Count + droppable.Count < maxMessages && Interlocked.Read(ref bytes) + message.Payload.Length <= maxBytes;

    private void Remove(OutgoingMessage message) => Interlocked.Add(ref bytes, -message.Payload.Length);
}
