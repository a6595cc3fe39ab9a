using System;
using System.Diagnostics;

namespace CommunityGrid.Meter.Linux.Timing
{
    /// <summary>
    /// Virtual time for the simulated meter: starts at a chosen instant and runs <see cref="Scale"/> times faster
    /// than the monotonic real clock, so with scale 60 a 60-second interval passes in one real second and the
    /// readings name the virtual intervals.
    /// </summary>
    public sealed class ScaledClock : IMeterClock
    {
        public const int MaxScale = 100_000;
        private readonly long _startUnixMs;
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();

        public ScaledClock(long startUnixMs, int scale)
        {
            if (scale < 1 || scale > MaxScale) throw new ArgumentOutOfRangeException(nameof(scale), $"time scale must be 1..{MaxScale}, got {scale}");
            _startUnixMs = startUnixMs;
            Scale = scale;
        }

        public int Scale { get; }

        public long UnixMilliseconds => _startUnixMs + _elapsed.ElapsedMilliseconds * Scale;
    }
}
