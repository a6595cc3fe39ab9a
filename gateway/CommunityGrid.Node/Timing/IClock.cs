using System;
using System.Threading;

namespace CommunityGrid.Node.Timing;

/// <summary>
/// Where the node takes block times from. The chain never reads a clock itself; the node proposes
/// max(clock, tip + 1 ms), so a clock that stands still or steps back never breaks the chain.
/// </summary>
public interface IClock
{
    /// <summary>Unix milliseconds.</summary>
    long NowMs { get; }
}

public sealed class SystemClock : IClock
{
    public static SystemClock Instance { get; } = new();

    public long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>A clock that moves only when told to: the simulator runs days of intervals in seconds with it.</summary>
public sealed class VirtualClock(long startMs) : IClock
{
    private long nowMs = startMs;

    public long NowMs => Interlocked.Read(ref nowMs);

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "a virtual clock only moves forward");
        Interlocked.Add(ref nowMs, (long)by.TotalMilliseconds);
    }

    public void Set(long unixMs)
    {
        long current = NowMs;
        if (unixMs < current) throw new ArgumentOutOfRangeException(nameof(unixMs), unixMs, $"a virtual clock only moves forward (now {current})");
        Interlocked.Exchange(ref nowMs, unixMs);
    }
}
