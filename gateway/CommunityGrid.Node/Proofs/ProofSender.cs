using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Proofs;

/// <summary>
/// Keeps every meter's retained proofs topic (docs/protocol.md §7.6) at the durable tip, on one background task so the
/// block producer never waits on the network. After each durably stored block: every meter with a reading in it, every
/// meter whose house's balance changed, and every meter when the block closed an interval (balances and freshness);
/// every meter at start-up. Requests coalesce: when blocks come faster than messages go out, a meter gets one message
/// at the newest tip, whose state entry covers its readings of the blocks in between. No signature is made here: the
/// message carries the validators' certificate, which is what the meter checks.
/// </summary>
public sealed class ProofSender : IAsyncDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly Func<Func<string, long, bool>, IReadOnlyList<MeterProofMessage>> take;
    private readonly ILogger logger;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource stop = new();
    private readonly object requestGate = new();
    private HashSet<string> requestedMeters = new(StringComparer.Ordinal);
    private bool everyMeterRequested;
    // The balance each meter's topic shows, as far as this process knows; touched only by the pump.
    private readonly Dictionary<string, long> published = new(StringComparer.Ordinal);
    private long sent;
    private Task? pump;

    /// <param name="take">The messages at the durable tip for the meters the predicate picks (<see cref="MeterProofs.Take"/> under the store lock).</param>
    public ProofSender(Func<Func<string, long, bool>, IReadOnlyList<MeterProofMessage>> take, ILogger logger)
    {
        this.take = take;
        this.logger = logger;
    }

    /// <summary>Proof messages published so far (tests and diagnostics).</summary>
    public long Sent => Interlocked.Read(ref sent);

    public static MqttApplicationMessage Retained(string topic, byte[] message) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(message)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag()
        .Build();

    public void Start(IProofPublisher target)
    {
        Request(null, everyMeter: true);
        pump ??= Task.Run(() => PumpAsync(target));
    }

    /// <summary>Call only once <paramref name="block"/> is durably stored.</summary>
    public void BlockCommitted(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        Request(MeterProofs.MetersWithReadings(block), block.Body.Settlements.Count > 0);
    }

    private void Request(IEnumerable<string>? meters, bool everyMeter)
    {
        lock (requestGate)
        {
            if (meters is not null) requestedMeters.UnionWith(meters);
            everyMeterRequested |= everyMeter;
        }
        wake.Writer.TryWrite(true);
    }

    private async Task PumpAsync(IProofPublisher target)
    {
        TimeSpan retry = FirstRetry;
        try
        {
            while (await wake.Reader.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                wake.Reader.TryRead(out _);
                HashSet<string> meters;
                bool everyMeter;
                lock (requestGate)
                {
                    meters = requestedMeters;
                    everyMeter = everyMeterRequested;
                    requestedMeters = new HashSet<string>(StringComparer.Ordinal);
                    everyMeterRequested = false;
                }
                int failed = await PublishAsync(target, meters, everyMeter, retry > FirstRetry).ConfigureAwait(false);
                if (failed == 0)
                {
                    retry = FirstRetry;
                    continue;
                }
                await Task.Delay(retry, stop.Token).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, retry.Ticks * 2));
                // The failed meters were forgotten in `published`, so they are picked again.
                Request(null, everyMeter: false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <returns>How many meters did not get their message.</returns>
    private async Task<int> PublishAsync(IProofPublisher target, HashSet<string> meters, bool everyMeter, bool failedBefore)
    {
        IReadOnlyList<MeterProofMessage> messages;
        try
        {
            messages = take((meterId, balance) => everyMeter || meters.Contains(meterId)
                || !published.TryGetValue(meterId, out long shown) || shown != balance);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "proof messages could not be built; retrying: {Error}", e.Message);
            return 1;
        }
        int delivered = 0, failed = 0;
        string? firstError = null;
        foreach (MeterProofMessage message in messages)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(PublishTimeout);
                await target.PublishProofAsync(message.MeterId, message.Encode(), timeout.Token).ConfigureAwait(false);
                published[message.MeterId] = message.Balance;
                delivered++;
            }
            catch (Exception e) when (e is not OutOfMemoryException && !stop.IsCancellationRequested)
            {
                published.Remove(message.MeterId);
                failed++;
                firstError ??= e.Message;
            }
        }
        Interlocked.Add(ref sent, delivered);
        if (delivered > 0) logger.LogDebug("proofs published meters={Count}", delivered);
        if (failed > 0)
        {
            logger.Log(failedBefore ? LogLevel.Warning : LogLevel.Debug, "proofs not delivered meters={Failed}: {Error}; retrying", failed, firstError);
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
