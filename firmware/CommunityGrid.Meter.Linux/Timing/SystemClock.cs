using System;

namespace CommunityGrid.Meter.Linux.Timing
{
    /// <summary>The board's UTC clock (kept right by NTP); intervals follow it, steps included, as the recorder rules expect.</summary>
    public sealed class SystemClock : IMeterClock
    {
        public long UnixMilliseconds => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        public int Scale => 1;
    }
}
