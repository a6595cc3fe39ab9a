using System;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// Simulated time: only the simulation loop moves it, so a day passes in seconds and every run sees the same
/// instants. A TimeProvider, so components written against .NET's clock abstraction can run on it.
/// </summary>
public sealed class VirtualClock(long startUnixMs) : TimeProvider
{
    public long NowMs { get; private set; } = startUnixMs;

    public long NowSeconds => Math.DivRem(NowMs, 1000).Quotient;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void AdvanceTo(long unixMs)
    {
        if (unixMs < NowMs) throw new ArgumentOutOfRangeException(nameof(unixMs), $"virtual time only moves forward: {unixMs} < {NowMs}");
        NowMs = unixMs;
    }
}
