using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Formats.Signing;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Display;

/// <summary>
/// Keeps every enrolled meter's retained display topic current, on one background task so the block producer never
/// waits on the network. Production reports each block once it is durable; the task then takes the figures at the tip
/// (which never runs ahead of the disk), signs them and publishes them. Requests coalesce, since a retained topic only
/// keeps the latest message anyway. Start-up and a block that closes an interval refresh every meter; any other block
/// refreshes only meters whose price or balance changed or that have nothing yet (a payment, an enrolment).
/// </summary>
public sealed class DisplaySender : IAsyncDisposable
{
    private const int ChangedMeters = 1;
    private const int EveryMeter = 2;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly Func<IReadOnlyList<MeterDisplay>> takeFigures;
    private readonly Ed25519Signer gateway;
    private readonly ILogger logger;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource stop = new();
    // What each meter's topic holds, as far as this process knows; touched only by the pump.
    private readonly Dictionary<string, MeterDisplay> published = new(StringComparer.Ordinal);
    private int wanted;
    private long sent;
    private Task? pump;

    /// <param name="takeFigures">Every meter's figures at the durable tip (<see cref="DisplayFigures.Take"/> under the store lock).</param>
    public DisplaySender(Func<IReadOnlyList<MeterDisplay>> takeFigures, Ed25519Signer gateway, ILogger logger)
    {
        this.takeFigures = takeFigures;
        this.gateway = gateway;
        this.logger = logger;
    }

    /// <summary>Display messages published so far (tests and diagnostics).</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Publishes every meter's current figures through <paramref name="target"/>, then follows the blocks.</summary>
    public void Start(IDisplayPublisher target)
    {
        Request(EveryMeter);
        pump ??= Task.Run(() => PumpAsync(target));
    }

    /// <summary>Call only once <paramref name="block"/> is durably stored.</summary>
    public void BlockCommitted(Block block) => Request(block.Body.Settlements.Count > 0 ? EveryMeter : ChangedMeters);

    private void Request(int scope)
    {
        // Flag first, wake second: the pump takes the flags after it woke, so no request is lost between the two.
        Interlocked.Or(ref wanted, scope);
        wake.Writer.TryWrite(true);
    }

    private async Task PumpAsync(IDisplayPublisher target)
    {
        TimeSpan retry = FirstRetry;
        try
        {
            while (await wake.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                wake.Reader.TryRead(out _);
                int scope = Interlocked.Exchange(ref wanted, 0);
                if (scope == 0) continue;
                int failed = await PublishAsync(target, (scope & EveryMeter) != 0, retry > FirstRetry).ConfigureAwait(false);
                if (failed == 0)
                {
                    retry = FirstRetry;
                    continue;
                }
                await Task.Delay(retry, stop.Token).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, retry.Ticks * 2));
                // The failed meters were forgotten in `published`, so they count as changed.
                Request(ChangedMeters);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <returns>How many meters did not get their figures.</returns>
    private async Task<int> PublishAsync(IDisplayPublisher target, bool everyMeter, bool failedBefore)
    {
        IReadOnlyList<MeterDisplay> figures;
        try
        {
            figures = takeFigures();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "display figures could not be read; retrying: {Error}", e.Message);
            return 1;
        }
        int delivered = 0, failed = 0;
        string? firstError = null;
        foreach (MeterDisplay display in figures)
        {
            if (!everyMeter && published.TryGetValue(display.MeterId, out MeterDisplay? shown) && shown.ShowsSameAs(display)) continue;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(PublishTimeout);
                await target.PublishDisplayAsync(display.MeterId, display.Sign(gateway), timeout.Token).ConfigureAwait(false);
                published[display.MeterId] = display;
                delivered++;
            }
            catch (Exception e) when (e is not OutOfMemoryException && !stop.IsCancellationRequested)
            {
                published.Remove(display.MeterId);
                failed++;
                firstError ??= e.Message;
            }
        }
        Interlocked.Add(ref sent, delivered);
        if (delivered > 0) logger.LogInformation("display published height={Height} meters={Count}", figures[0].Height, delivered);
        if (failed > 0)
        {
            // An external broker is usually still connecting when the node starts; only a repeated failure deserves a warning.
            logger.Log(failedBefore ? LogLevel.Warning : LogLevel.Debug,
                "display not delivered meters={Failed}: {Error}; retrying", failed, firstError);
        }
        return failed;
    }

    /// <summary>Stops publishing; the topics keep what was last published.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        wake.Writer.TryComplete();
        if (pump is not null) await pump.ConfigureAwait(false);
        stop.Dispose();
    }
}
