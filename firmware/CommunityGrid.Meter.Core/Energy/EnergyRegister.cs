using System;

namespace CommunityGrid.Meter.Energy
{
    /// <summary>
    /// A cumulative energy counter in whole watt-hours plus the not-yet-whole remainder in
    /// milliwatt-milliseconds (1 Wh = 3 600 000 000 mW·ms). Exact integer accumulation: no sample's
    /// energy is ever rounded away, it waits in the remainder. It only counts up.
    /// </summary>
    public sealed class EnergyRegister
    {
        public const long MilliwattMillisecondsPerWattHour = 3_600_000_000L;

        public EnergyRegister(long initialWattHours)
        {
            if (initialWattHours < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(initialWattHours), "an energy register starts at 0 Wh or more");
            }
            WattHours = initialWattHours;
        }

        public long WattHours { get; private set; }

        /// <summary>Energy below one Wh not yet carried into <see cref="WattHours"/>, 0 .. 3 599 999 999 mW·ms.</summary>
        public long RemainderMilliwattMilliseconds { get; private set; }

        public void Add(long milliwattMilliseconds)
        {
            if (milliwattMilliseconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(milliwattMilliseconds), "an energy register never goes backwards");
            }
            long sum = RemainderMilliwattMilliseconds + milliwattMilliseconds;
            WattHours += sum / MilliwattMillisecondsPerWattHour;
            RemainderMilliwattMilliseconds = sum % MilliwattMillisecondsPerWattHour;
        }
    }
}
