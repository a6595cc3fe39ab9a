using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace CommunityGrid.Api;

/// <summary>
/// The gateway's counters and gauges, written by the node (ingest, block production) from any thread and read
/// by <c>GET /metrics</c> and <c>GET /status</c> through <see cref="Snapshot"/>.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>
    /// Most distinct (meter) and (meter, reason) series kept. A rejected reading may name any meter id, including
    /// ones an attacker makes up, so without a cap the series (and the /metrics page) could grow without bound.
    /// </summary>
    public const int MaxSeries = 10_000;

    /// <summary>The meter label that series beyond <see cref="MaxSeries"/> are counted under; no valid meter id looks like it.</summary>
    public const string OverflowMeter = "(other)";

    private readonly ConcurrentDictionary<string, Counter> accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Meter, string Reason), Counter> rejected = new();
    // Only committed readings set this, and only enrolled meters get readings committed, so its keys are enrolled meters.
    private readonly ConcurrentDictionary<string, long> lastReading = new(StringComparer.Ordinal);
    private Func<int>? mempoolSize;
    private Func<int>? connectedMeters;
    private long height;
    private long lastClosedIntervalStart = Unset;
    private long intervalLagSeconds;
    private int storageFull;

    private const long Unset = long.MinValue;

    /// <summary>A reading was committed in a block.</summary>
    public void RecordReadingAccepted(string meterId)
    {
        ArgumentNullException.ThrowIfNull(meterId);
        string meter = accepted.Count >= MaxSeries && !accepted.ContainsKey(meterId) ? OverflowMeter : meterId;
        accepted.GetOrAdd(meter, static _ => new Counter()).Increment();
    }

    /// <param name="reason">The rejection reason's name as in docs/chain.md §4, e.g. <c>BadSignature</c>.</param>
    public void RecordReadingRejected(string meterId, string reason)
    {
        ArgumentNullException.ThrowIfNull(meterId);
        ArgumentNullException.ThrowIfNull(reason);
        (string, string) key = (meterId, reason);
        if (rejected.Count >= MaxSeries && !rejected.ContainsKey(key)) key = (OverflowMeter, reason);
        rejected.GetOrAdd(key, static _ => new Counter()).Increment();
    }

    /// <param name="unixSeconds">Time of the block that committed the meter's latest reading.</param>
    public void SetLastReading(string meterId, long unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(meterId);
        if (lastReading.Count >= MaxSeries && !lastReading.ContainsKey(meterId)) return;
        lastReading.AddOrUpdate(meterId, unixSeconds, (_, previous) => Math.Max(previous, unixSeconds));
    }

    /// <summary>Live figures read at each scrape: transactions waiting in the mempool, and meter sessions on the embedded broker (null with an external broker, whose sessions the gateway cannot see).</summary>
    public void Observe(Func<int> mempool, Func<int>? connected)
    {
        ArgumentNullException.ThrowIfNull(mempool);
        Volatile.Write(ref mempoolSize, mempool);
        Volatile.Write(ref connectedMeters, connected);
    }

    public void SetHeight(long value) => Interlocked.Exchange(ref height, value);

    /// <summary>A gateway of a set of several reports its consensus figures through this (read at every snapshot).</summary>
    public void ObserveConsensus(Func<ConsensusFigures> figures) => Volatile.Write(ref consensus, figures);

    private Func<ConsensusFigures>? consensus;

    /// <param name="intervalStart">Unix seconds of the start of the latest interval that has closed.</param>
    public void SetLastClosedInterval(long intervalStart) => Interlocked.Exchange(ref lastClosedIntervalStart, intervalStart);

    /// <param name="seconds">See <see cref="LagSeconds"/> for the definition the API documents.</param>
    public void SetIntervalLagSeconds(long seconds) => Interlocked.Exchange(ref intervalLagSeconds, seconds);

    /// <summary>Whether the last block could not be stored because the disk (or the store's size cap) is full.</summary>
    public void SetStorageFull(bool full) => Interlocked.Exchange(ref storageFull, full ? 1 : 0);

    /// <summary>
    /// How long the earliest open interval has been due to close without closing: now − (start + length + grace),
    /// or 0 while it is not yet due. Zero means settlement keeps up with the clock.
    /// </summary>
    public static long LagSeconds(long nextOpenIntervalStart, int intervalSeconds, int graceSeconds, long nowUnixSeconds) =>
        Math.Max(0, nowUnixSeconds - (nextOpenIntervalStart + intervalSeconds + graceSeconds));

    /// <summary>A consistent-enough copy for rendering: each value is read atomically, series sorted by meter id then reason.</summary>
    public GatewayMetricsSnapshot Snapshot()
    {
        var acceptedCounts = new List<MeterCount>(accepted.Count);
        foreach (KeyValuePair<string, Counter> entry in accepted) acceptedCounts.Add(new MeterCount(entry.Key, entry.Value.Value));
        acceptedCounts.Sort((a, b) => string.CompareOrdinal(a.MeterId, b.MeterId));

        var rejectedCounts = new List<RejectionCount>(rejected.Count);
        foreach (KeyValuePair<(string Meter, string Reason), Counter> entry in rejected)
        {
            rejectedCounts.Add(new RejectionCount(entry.Key.Meter, entry.Key.Reason, entry.Value.Value));
        }
        rejectedCounts.Sort((a, b) =>
        {
            int byMeter = string.CompareOrdinal(a.MeterId, b.MeterId);
            return byMeter != 0 ? byMeter : string.CompareOrdinal(a.Reason, b.Reason);
        });

        var lastReadings = new List<MeterTime>(lastReading.Count);
        foreach (KeyValuePair<string, long> entry in lastReading) lastReadings.Add(new MeterTime(entry.Key, entry.Value));
        lastReadings.Sort((a, b) => string.CompareOrdinal(a.MeterId, b.MeterId));

        long closed = Interlocked.Read(ref lastClosedIntervalStart);
        return new GatewayMetricsSnapshot(acceptedCounts, rejectedCounts, Interlocked.Read(ref height),
            closed == Unset ? null : closed, Interlocked.Read(ref intervalLagSeconds), Volatile.Read(ref storageFull) == 1,
            lastReadings, Volatile.Read(ref mempoolSize)?.Invoke(), Volatile.Read(ref connectedMeters)?.Invoke(), Volatile.Read(ref consensus)?.Invoke());
    }

    private sealed class Counter
    {
        private long value;
        public long Value => Interlocked.Read(ref value);
        public void Increment() => Interlocked.Increment(ref value);
    }
}

/// <param name="LastClosedIntervalStart">Null until the node has reported a closed interval.</param>
/// <param name="MempoolSize">Null until the node observes its mempool.</param>
/// <param name="ConnectedMeters">Null without an embedded broker.</param>
public sealed record GatewayMetricsSnapshot(
    IReadOnlyList<MeterCount> ReadingsAccepted,
    IReadOnlyList<RejectionCount> ReadingsRejected,
    long Height,
    long? LastClosedIntervalStart,
    long IntervalLagSeconds,
    bool StorageFull = false,
    IReadOnlyList<MeterTime>? LastReadings = null,
    int? MempoolSize = null,
    int? ConnectedMeters = null,
    ConsensusFigures? Consensus = null);

/// <param name="UnixSeconds">Time of the block that committed the meter's latest reading.</param>
public sealed record MeterTime(string MeterId, long UnixSeconds);

public sealed record MeterCount(string MeterId, long Count);

public sealed record RejectionCount(string MeterId, string Reason, long Count);
