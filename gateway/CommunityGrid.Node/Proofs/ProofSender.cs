using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Node.Publishing;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Proofs;

/// <summary>
/// Keeps every meter's retained proofs topic (docs/protocol.md §7.6) at the durable tip through a
/// <see cref="RetainedTopicPump"/>. After each durably stored block: every meter with a reading in it, every
/// meter whose house's balance changed, and every meter when the block closed an interval (balances and freshness);
/// every meter at start-up. Requests coalesce: when blocks come faster than messages go out, a meter gets one message
/// at the newest tip, whose state entry covers its readings of the blocks in between. No signature is made here: the
/// message carries the validators' certificate, which is what the meter checks.
/// </summary>
public sealed class ProofSender : IAsyncDisposable
{
    private readonly Func<CommittedTip?, Func<string, long, bool>, IReadOnlyList<MeterProofMessage>> take;
    private readonly ILogger logger;
    private readonly RetainedTopicPump pump;
    private readonly object requestGate = new();
    private HashSet<string> requestedMeters = new(StringComparer.Ordinal);
    private bool everyMeterRequested;
    private CommittedTip? committedTip;
    // The balance each meter's topic shows, as far as this process knows; touched only by the pump.
    private readonly Dictionary<string, long> published = new(StringComparer.Ordinal);
    private long sent;
    private IProofPublisher? target;

    /// <param name="take">
    /// The messages at the durable tip for the meters the predicate picks, given the last block reported committed, if any
    /// (<see cref="MeterProofs.Take"/> under the store lock).
    /// </param>
    public ProofSender(Func<CommittedTip?, Func<string, long, bool>, IReadOnlyList<MeterProofMessage>> take, ILogger logger)
    {
        this.take = take;
        this.logger = logger;
        // The meters a failed round missed were forgotten in `published`, so the next round picks them again.
        pump = new RetainedTopicPump(RoundAsync, () => { });
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
        Volatile.Write(ref this.target, target);
        Request(null, everyMeter: true);
        pump.Start();
    }

    /// <summary>Call only once <paramref name="block"/> is durably stored.</summary>
    public void BlockCommitted(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        Request(MeterProofs.MetersWithReadings(block), block.Body.Settlements.Count > 0, block);
    }

    private void Request(IEnumerable<string>? meters, bool everyMeter, Block? committed = null)
    {
        lock (requestGate)
        {
            if (meters is not null) requestedMeters.UnionWith(meters);
            everyMeterRequested |= everyMeter;
            if (committed is not null)
            {
                // Only the header of the block before is kept: the proof needs its validator set hash, not its body.
                BlockHeader? previous = committedTip is { } last && last.Block.Height == committed.Height - 1 ? last.Block.Header : null;
                committedTip = new CommittedTip(committed, previous);
            }
        }
        pump.Wake();
    }

    private Task<int> RoundAsync(bool failedBefore)
    {
        HashSet<string> meters;
        bool everyMeter;
        CommittedTip? tip;
        lock (requestGate)
        {
            meters = requestedMeters;
            everyMeter = everyMeterRequested;
            tip = committedTip;
            requestedMeters = new HashSet<string>(StringComparer.Ordinal);
            everyMeterRequested = false;
        }
        return PublishAsync(Volatile.Read(ref target)!, meters, everyMeter, tip, failedBefore);
    }

    /// <returns>How many meters did not get their message.</returns>
    private async Task<int> PublishAsync(IProofPublisher target, HashSet<string> meters, bool everyMeter, CommittedTip? tip, bool failedBefore)
    {
        IReadOnlyList<MeterProofMessage> messages;
        try
        {
            messages = take(tip, (meterId, balance) => everyMeter || meters.Contains(meterId)
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
                await pump.PublishAsync(cancel => target.PublishProofAsync(message.MeterId, message.Encode(), cancel)).ConfigureAwait(false);
                published[message.MeterId] = message.Balance;
                delivered++;
            }
            catch (Exception e) when (e is not OutOfMemoryException && !pump.Stopping)
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
    public ValueTask DisposeAsync() => pump.DisposeAsync();
}
