namespace CommunityGrid.Meter.Linux.Timing
{
    /// <summary>The time the meter's readings are about: UTC wall time on a real meter, virtual time on a simulated one.</summary>
    public interface IMeterClock
    {
        long UnixMilliseconds { get; }

        /// <summary>Virtual milliseconds per real millisecond (1 on a real meter).</summary>
        int Scale { get; }
    }
}
