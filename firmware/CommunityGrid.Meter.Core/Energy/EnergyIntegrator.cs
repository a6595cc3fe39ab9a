using System;

namespace CommunityGrid.Meter.Energy
{
    /// <summary>
    /// Turns power samples (signed mW, monotonic ms timestamps) into two cumulative registers: energy
    /// while power is positive and energy while it is negative (import/export at the connection point,
    /// or production/standby draw for a PV inverter).
    /// <para>Rule (sample-and-hold): each sample's power is held until the next sample's time, so the
    /// energy between samples t0 and t1 is P(t0) × (t1 − t0), added to the register of P(t0)'s sign.
    /// Uneven spacing is handled exactly by that rule.</para>
    /// <para>A gap longer than <see cref="MaxGapMilliseconds"/> (lost samples, a stalled bus): the last power
    /// is held for MaxGap only; the rest of the gap counts nothing and is added to
    /// <see cref="UncountedMilliseconds"/> and flagged, since guessing would invent energy.</para>
    /// <para>A timestamp earlier than the previous one counts nothing, is flagged, and becomes the new
    /// starting point, so a clock reset does not stop integration for good.</para>
    /// Registers never decrease.
    /// </summary>
    public sealed class EnergyIntegrator
    {
        /// <summary>Largest allowed gap (one day) and power (100 MW): their product still fits a long.</summary>
        public const long MaxGapLimitMilliseconds = 86_400_000L;
        public const long MaxPowerMilliwatts = 100_000_000_000L;

        private bool _started;
        private long _lastTimestampMs;
        private long _lastPowerMilliwatts;
        private bool _holding;

        public EnergyIntegrator(long maxGapMilliseconds, long initialPositiveWh, long initialNegativeWh)
        {
            if (maxGapMilliseconds < 1 || maxGapMilliseconds > MaxGapLimitMilliseconds)
            {
                throw new ArgumentOutOfRangeException(nameof(maxGapMilliseconds), "max gap must be 1 ms .. 1 day");
            }
            MaxGapMilliseconds = maxGapMilliseconds;
            Positive = new EnergyRegister(initialPositiveWh);
            Negative = new EnergyRegister(initialNegativeWh);
        }

        public long MaxGapMilliseconds { get; }

        /// <summary>Energy counted while the held power was positive.</summary>
        public EnergyRegister Positive { get; }

        /// <summary>Energy counted while the held power was negative (its magnitude).</summary>
        public EnergyRegister Negative { get; }

        /// <summary>Total time not integrated: the part of over-long gaps beyond the max gap, and sensor outages.</summary>
        public long UncountedMilliseconds { get; private set; }

        public int GapCount { get; private set; }

        public int BackwardsCount { get; private set; }

        /// <exception cref="ArgumentOutOfRangeException">|power| above <see cref="MaxPowerMilliwatts"/>: a sensor bug, not a reading.</exception>
        public IntegrationEvents AddSample(long timestampMs, long powerMilliwatts)
        {
            if (powerMilliwatts > MaxPowerMilliwatts || powerMilliwatts < -MaxPowerMilliwatts)
            {
                throw new ArgumentOutOfRangeException(nameof(powerMilliwatts), "power " + powerMilliwatts + " mW is beyond ±100 MW");
            }
            IntegrationEvents events = AdvanceTo(timestampMs);
            _lastPowerMilliwatts = powerMilliwatts;
            _holding = true;
            return events;
        }

        /// <summary>
        /// A sample failed at this time (sensor error): the held power is counted up to here, then
        /// nothing until the next good sample, and that outage is added to <see cref="UncountedMilliseconds"/>.
        /// Holding a stale value through a sensor fault would count energy nobody measured.
        /// </summary>
        public IntegrationEvents MarkUnavailable(long timestampMs)
        {
            IntegrationEvents events = AdvanceTo(timestampMs);
            _holding = false;
            return events;
        }

        private IntegrationEvents AdvanceTo(long timestampMs)
        {
            IntegrationEvents events = IntegrationEvents.None;
            if (!_started)
            {
                events = IntegrationEvents.Started;
                _started = true;
            }
            else if (timestampMs < _lastTimestampMs)
            {
                events = IntegrationEvents.TimeWentBackwards | IntegrationEvents.Started;
                BackwardsCount++;
            }
            else if (!_holding)
            {
                UncountedMilliseconds += timestampMs - _lastTimestampMs;
                events = IntegrationEvents.ResumedAfterOutage;
            }
            else
            {
                long elapsed = timestampMs - _lastTimestampMs;
                long counted = elapsed;
                if (elapsed > MaxGapMilliseconds)
                {
                    counted = MaxGapMilliseconds;
                    UncountedMilliseconds += elapsed - MaxGapMilliseconds;
                    GapCount++;
                    events = IntegrationEvents.GapTruncated;
                }
                if (_lastPowerMilliwatts > 0)
                {
                    Positive.Add(_lastPowerMilliwatts * counted);
                }
                else if (_lastPowerMilliwatts < 0)
                {
                    Negative.Add(-_lastPowerMilliwatts * counted);
                }
            }
            _lastTimestampMs = timestampMs;
            return events;
        }
    }
}
