using System;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>
    /// Settlement intervals aligned to UTC: an interval of length L starts at every Unix time that is a multiple
    /// of L. L divides a day (86400 s), so every UTC midnight is a boundary and all meters and gateways agree on
    /// the grid without exchanging anything but L.
    /// </summary>
    public static class IntervalClock
    {
        public static bool IsValidLength(long lengthSeconds)
        {
            return lengthSeconds >= MeterReadingRules.MinIntervalLengthSeconds
                && lengthSeconds <= MeterReadingRules.SecondsPerDay
                && MeterReadingRules.SecondsPerDay % lengthSeconds == 0;
        }

        /// <summary>Start of the interval containing <paramref name="unixSeconds"/> (floor, also before 1970).</summary>
        public static long StartOf(long unixSeconds, int lengthSeconds)
        {
            CheckLength(lengthSeconds);
            long remainder = unixSeconds % lengthSeconds;
            if (remainder < 0) remainder += lengthSeconds;
            return unixSeconds - remainder;
        }

        /// <summary>The first boundary strictly after <paramref name="unixSeconds"/>: when the current interval ends.</summary>
        public static long NextBoundary(long unixSeconds, int lengthSeconds)
        {
            return StartOf(unixSeconds, lengthSeconds) + lengthSeconds;
        }

        public static bool IsBoundary(long unixSeconds, int lengthSeconds)
        {
            return StartOf(unixSeconds, lengthSeconds) == unixSeconds;
        }

        private static void CheckLength(int lengthSeconds)
        {
            if (!IsValidLength(lengthSeconds))
            {
                throw new ArgumentOutOfRangeException(nameof(lengthSeconds),
                    "an interval length must be 60..86400 s and divide 86400 evenly (e.g. 900), got " + lengthSeconds);
            }
        }
    }
}
