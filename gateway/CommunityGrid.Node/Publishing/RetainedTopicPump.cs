using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace CommunityGrid.Node.Publishing;

/// <summary>
/// The one background task behind a set of retained per-meter topics (display, proofs): the block producer only wakes
/// it, so it never waits on the network. Wake-ups coalesce (a retained topic keeps only the latest message, so one
/// round at the newest tip serves every block in between). A round that leaves meters undelivered is run again after
/// a delay that doubles from 1 s up to 30 s, and is back to 1 s after a round that delivered everything.
/// </summary>
internal sealed class RetainedTopicPump : IAsyncDisposable
{
    private static readonly TimeSpan DefaultPublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly Func<bool, Task<int>> round;
    private readonly Action requestRetry;
    private readonly TimeSpan publishTimeoutDelay;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource stop = new();
    // The publish timeout of the messages of the rounds, linked to stop; each message restarts its delay (CancelAfter on a
    // pending timer), and a new one is made only after one fired. A new linked source and timer per message was a cost
    // of every proof message at ingest (issue 18). Touched only from rounds, which run one at a time.
    private CancellationTokenSource? publishTimeout;
    private Task? pump;

    /// <param name="round">Publishes what was requested since the last round; given whether the previous round failed, returns how many meters were not reached.</param>
    /// <param name="requestRetry">Records a request for the meters a failed round did not reach, before the pump wakes itself again.</param>
    /// <param name="publishTimeout">How long one message may take (10 s; tests shorten it).</param>
    public RetainedTopicPump(Func<bool, Task<int>> round, Action requestRetry, TimeSpan? publishTimeout = null)
    {
        this.round = round;
        this.requestRetry = requestRetry;
        publishTimeoutDelay = publishTimeout ?? DefaultPublishTimeout;
    }

    public bool Stopping => stop.IsCancellationRequested;

    public void Start() => pump ??= Task.Run(RunAsync);

    /// <summary>Call after recording what is wanted: the round reads the requests after it woke, so none is lost between the two.</summary>
    public void Wake() => wake.Writer.TryWrite(true);

    /// <summary>One message to one meter's topic, given at most the publish timeout; stopping the pump cancels it.</summary>
    public async Task PublishAsync(Func<CancellationToken, Task> publish)
    {
        if (publishTimeout is null || publishTimeout.IsCancellationRequested)
        {
            publishTimeout?.Dispose();
            publishTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        }
        CancellationTokenSource timeout = publishTimeout;
        timeout.CancelAfter(publishTimeoutDelay);
        await publish(timeout.Token).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        TimeSpan retry = FirstRetry;
        try
        {
            while (await wake.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                wake.Reader.TryRead(out _);
                int failed = await round(retry > FirstRetry).ConfigureAwait(false);
                if (failed == 0)
                {
                    retry = FirstRetry;
                    continue;
                }
                await Task.Delay(retry, stop.Token).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, retry.Ticks * 2));
                requestRetry();
                Wake();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops publishing; the topics keep what was last published.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        wake.Writer.TryComplete();
        if (pump is not null) await pump.ConfigureAwait(false);
        publishTimeout?.Dispose();
        stop.Dispose();
    }
}
