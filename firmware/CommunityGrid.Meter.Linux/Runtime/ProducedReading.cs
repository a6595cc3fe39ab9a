using CommunityGrid.Meter.Intervals;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <param name="DroppedSequence">The oldest waiting reading the full queue dropped to make room, else 0.</param>
    public sealed record ProducedReading(SignedInterval Interval, long DroppedSequence);
}
