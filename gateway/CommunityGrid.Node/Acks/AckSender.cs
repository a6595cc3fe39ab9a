using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Formats.Signing;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Acks;

/// <summary>
/// Signs acks with the gateway key and hands them to the broker on one background task, so neither the block
/// producer nor a broker thread waits on the network. Callers enqueue an ack only once what it states is true
/// (for a commit: after the block is durable), which is what lets a meter drop the reading.
/// </summary>
/// <remarks>
/// Acks are cumulative (docs/protocol.md §7.3: an accepted ack releases its reading and every reading below it), so
/// the status 0/1 acks of one meter waiting here are one ack, for the highest sequence: a block with several readings
/// of a meter costs one signature, and the queue holds at most one such ack per meter however far the broker falls
/// behind. Rejections (status 2) are each sent, in order: the meter records every rejected sequence and its reason;
/// a release ack enqueued after a rejection of the same meter is sent after it, never merged ahead of it. A status 0/1
/// ack is signed only if the publisher says the meter may release on it (<see cref="IAckPublisher.MeterTakesReleaseAcksAsync"/>):
/// a light-client meter waits for its proof (§7.7), so signing for it is wasted.
/// </remarks>
public sealed class AckSender : IAsyncDisposable
{
    private readonly Channel<DueAck> queue = Channel.CreateUnbounded<DueAck>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object gate = new();
    // Per meter: the queued release ack (status 0/1) that a later one may still replace; guarded by gate.
    private readonly Dictionary<string, DueAck> openReleases = new(StringComparer.Ordinal);
    private readonly Ed25519Signer gateway;
    private readonly ILogger logger;
    private readonly Task pump;
    private long sent;
    private long merged;
    private long notNeeded;
    private readonly Action<ReadingAck>? observer;
    private IAckPublisher? publisher;

    /// <param name="observer">Sees every ack as it is released, before it is merged or sent (the simulator's meters, tests).</param>
    public AckSender(Ed25519Signer gateway, ILogger logger, Action<ReadingAck>? observer = null)
    {
        this.gateway = gateway;
        this.logger = logger;
        this.observer = observer;
        pump = Task.Run(PumpAsync);
    }

    /// <summary>Acks published so far (tests and diagnostics).</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Release acks folded into a higher one of the same meter before they were signed.</summary>
    public long Merged => Interlocked.Read(ref merged);

    /// <summary>Release acks not signed because no session of the meter would release on them (light clients).</summary>
    public long NotNeeded => Interlocked.Read(ref notNeeded);

    /// <summary>Set once the broker is up; acks enqueued before wait for it.</summary>
    public void Attach(IAckPublisher target) => Volatile.Write(ref publisher, target);

    public void Enqueue(ReadingAck ack) => EnqueueAll([ack]);

    /// <summary>Enqueues the acks of one block (or one decision) together, so a meter's readings in it merge into one ack.</summary>
    public void EnqueueAll(IReadOnlyList<ReadingAck> acks)
    {
        ArgumentNullException.ThrowIfNull(acks);
        if (observer is not null)
        {
            foreach (ReadingAck ack in acks) observer(ack);
        }
        lock (gate)
        {
            foreach (ReadingAck ack in acks) Queue(ack);
        }
    }

    private void Queue(ReadingAck ack)
    {
        if (ack.Status == AckStatus.Rejected)
        {
            // Later release acks of this meter queue behind the rejection (see remarks).
            openReleases.Remove(ack.MeterId);
            queue.Writer.TryWrite(new DueAck(ack, release: false));
            return;
        }
        if (openReleases.TryGetValue(ack.MeterId, out DueAck? open))
        {
            if (ack.Sequence > open.Ack.Sequence) open.Ack = ack;
            Interlocked.Increment(ref merged);
            return;
        }
        var due = new DueAck(ack, release: true);
        openReleases[ack.MeterId] = due;
        queue.Writer.TryWrite(due);
    }

    private async Task PumpAsync()
    {
        await foreach (DueAck due in queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            ReadingAck ack;
            lock (gate)
            {
                ack = due.Ack;
                // From here on a new release ack of the meter queues anew instead of changing what is being sent.
                if (due.Release && openReleases.TryGetValue(ack.MeterId, out DueAck? open) && open == due) openReleases.Remove(ack.MeterId);
            }
            IAckPublisher? target;
            while ((target = Volatile.Read(ref publisher)) is null) await Task.Delay(50).ConfigureAwait(false);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                if (due.Release && !await target.MeterTakesReleaseAcksAsync(ack.MeterId, timeout.Token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref notNeeded);
                    logger.LogDebug("ack not needed (light client) {Ack}", ack);
                    continue;
                }
                await target.PublishAckAsync(ack.MeterId, ack.Sign(gateway), timeout.Token).ConfigureAwait(false);
                Interlocked.Increment(ref sent);
                logger.LogDebug("ack sent {Ack}", ack);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The meter resends what it has not seen acknowledged; the next ack it gets says "already committed".
                logger.LogWarning("ack not delivered meter={MeterId} seq={Sequence}: {Error}", ack.MeterId, ack.Sequence, e.Message);
            }
        }
    }

    /// <summary>Sends what is queued (bounded by the publish timeout per ack), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    /// <summary>An ack waiting to be sent; a release ack's <see cref="Ack"/> may still be replaced by a higher one (under the gate).</summary>
    private sealed class DueAck(ReadingAck ack, bool release)
    {
        public ReadingAck Ack { get; set; } = ack;

        public bool Release { get; } = release;
    }
}
