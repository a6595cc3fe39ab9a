using System;

namespace CommunityGrid.Node.Tests.Mempool;

/// <summary>Elapsed time that moves only when the test says so.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;

    public void Advance(TimeSpan by) => ticks += by.Ticks;
}
