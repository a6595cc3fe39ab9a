using System;
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
public sealed class AckSender : IAsyncDisposable
{
    private readonly Channel<ReadingAck> queue = Channel.CreateUnbounded<ReadingAck>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Ed25519Signer gateway;
    private readonly ILogger logger;
    private readonly Task pump;
    private long sent;
    private readonly Action<ReadingAck>? observer;
    private IAckPublisher? publisher;

    /// <param name="observer">Sees every ack as it is released, before it is sent (the simulator's meters, tests).</param>
    public AckSender(Ed25519Signer gateway, ILogger logger, Action<ReadingAck>? observer = null)
    {
        this.gateway = gateway;
        this.logger = logger;
        this.observer = observer;
        pump = Task.Run(PumpAsync);
    }

    /// <summary>Acks published so far (tests and diagnostics).</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Set once the broker is up; acks enqueued before wait for it.</summary>
    public void Attach(IAckPublisher target) => Volatile.Write(ref publisher, target);

    public void Enqueue(ReadingAck ack)
    {
        observer?.Invoke(ack);
        queue.Writer.TryWrite(ack);
    }

    private async Task PumpAsync()
    {
        await foreach (ReadingAck ack in queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            IAckPublisher? target;
            while ((target = Volatile.Read(ref publisher)) is null) await Task.Delay(50).ConfigureAwait(false);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
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
}
