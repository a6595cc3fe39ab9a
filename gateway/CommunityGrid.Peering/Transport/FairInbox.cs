using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// Merges the peers' receive queues into the one stream the host reads, taking at most one message from each peer
/// per turn (round-robin): a peer that floods gets no more of the host's attention than a quiet one.
/// </summary>
internal sealed class FairInbox
{
    private readonly object gate = new();
    private readonly List<ReceiveQueue> queues = new();
    private readonly SemaphoreSlim arrived = new(0, 1);
    private int next;

    public void Add(ReceiveQueue queue)
    {
        lock (gate)
        {
            queues.Add(queue);
        }
    }

    /// <summary>Forgets a queue (its peer left the validator set); what it still holds is not delivered.</summary>
    public void Remove(ReceiveQueue queue)
    {
        lock (gate)
        {
            queues.Remove(queue);
            next = 0;
        }
    }

    public void Signal()
    {
        lock (gate)
        {
            if (arrived.CurrentCount == 0)
            {
                arrived.Release();
            }
        }
    }

    public async IAsyncEnumerable<PeerMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (TryTakeNext(out PeerMessage message))
            {
                yield return message;
                continue;
            }
            await arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryTakeNext(out PeerMessage message)
    {
        lock (gate)
        {
            for (int tried = 0; tried < queues.Count; tried++)
            {
                ReceiveQueue queue = queues[(next + tried) % queues.Count];
                if (queue.TryDequeue(out message))
                {
                    next = (next + tried + 1) % queues.Count;
                    return true;
                }
            }
            message = null!;
            return false;
        }
    }
}
