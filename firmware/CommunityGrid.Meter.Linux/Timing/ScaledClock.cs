using System;
using System.Diagnostics;

namespace CommunityGrid.Meter.Linux.Timing
{
    /// <summary>
    /// Virtual time for the simulated meter: starts at a chosen instant (never in the future) and runs
    /// <see cref="Scale"/> times faster than the monotonic real clock, so with scale 60 a 60-second interval passes in one
    /// real second and the readings name the virtual intervals. It never runs ahead of the wall clock: once it has
    /// caught up it follows real time. A gateway judges readings by its own clock and rejects every interval that has
    /// not ended yet (FutureInterval), so a virtual meter ahead of real time only produced rejections, and after a
    /// restart at real time it stayed silent until real time passed its newest reading.
    /// </summary>
    public sealed class ScaledClock : IMeterClock
    {
        public const int MaxScale = 100_000;
        private readonly long _startUnixMs;
        private readonly Func<long> _elapsedMs;
        private readonly Func<long> _wallUnixMs;

        /// <summary>Virtual time stands at <paramref name="startUnixMs"/> until it is first read, then runs: start-up work does not eat into the first interval.</summary>
        public ScaledClock(long startUnixMs, int scale)
            : this(startUnixMs, scale, ElapsedSinceFirstRead(), () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
        {
        }

        /// <param name="elapsedMs">Real milliseconds since the start (monotonic).</param>
        /// <param name="wallUnixMs">The wall clock virtual time may not pass.</param>
        public ScaledClock(long startUnixMs, int scale, Func<long> elapsedMs, Func<long> wallUnixMs)
        {
            if (scale < 1 || scale > MaxScale) throw new ArgumentOutOfRangeException(nameof(scale), $"time scale must be 1..{MaxScale}, got {scale}");
            _startUnixMs = startUnixMs;
            _elapsedMs = elapsedMs;
            _wallUnixMs = wallUnixMs;
            Scale = scale;
        }

        public int Scale { get; }

        /// <summary>True once virtual time has reached the wall clock and follows it.</summary>
        public bool CaughtUp { get; private set; }

        public long UnixMilliseconds
        {
            get
            {
                long scaled = _startUnixMs + _elapsedMs() * Scale;
                long wall = _wallUnixMs();
                if (scaled < wall) return scaled;
                CaughtUp = true;
                return wall;
            }
        }

        private static Func<long> ElapsedSinceFirstRead()
        {
            Stopwatch? watch = null;
            return () =>
            {
                watch ??= Stopwatch.StartNew();
                return watch.ElapsedMilliseconds;
            };
        }
    }
}
