using System;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// One sample of a shunt power monitor in integer units. When <see cref="Status"/> is not Ok the
    /// values are not available at all: reading them throws, so a failed sample can never be integrated as 0 W.
    /// </summary>
    public sealed class PowerSensorReading
    {
        private readonly long _busMillivolts;
        private readonly long _shuntNanovolts;
        private readonly long _currentMilliamps;
        private readonly long _powerMilliwatts;

        private PowerSensorReading(SensorStatus status, string detail, long busMillivolts, long shuntNanovolts, long currentMilliamps, long powerMilliwatts)
        {
            Status = status;
            Detail = detail;
            _busMillivolts = busMillivolts;
            _shuntNanovolts = shuntNanovolts;
            _currentMilliamps = currentMilliamps;
            _powerMilliwatts = powerMilliwatts;
        }

        public SensorStatus Status { get; }

        /// <summary>What went wrong and what to check; empty when Ok.</summary>
        public string Detail { get; }

        public bool IsValid => Status == SensorStatus.Ok;

        public long BusMillivolts => Checked(_busMillivolts);

        /// <summary>Shunt voltage, exact (both chips' LSBs are whole nanovolts).</summary>
        public long ShuntNanovolts => Checked(_shuntNanovolts);

        /// <summary>Signed: positive when current flows from IN+ to IN- through the shunt.</summary>
        public long CurrentMilliamps => Checked(_currentMilliamps);

        /// <summary>Signed like the current (the chips' power registers hold a magnitude).</summary>
        public long PowerMilliwatts => Checked(_powerMilliwatts);

        public static PowerSensorReading Valid(long busMillivolts, long shuntNanovolts, long currentMilliamps, long powerMilliwatts)
        {
            return new PowerSensorReading(SensorStatus.Ok, "", busMillivolts, shuntNanovolts, currentMilliamps, powerMilliwatts);
        }

        public static PowerSensorReading Failed(SensorStatus status, string detail)
        {
            if (status == SensorStatus.Ok)
            {
                throw new ArgumentException("a failed reading needs a failure status", nameof(status));
            }
            return new PowerSensorReading(status, detail, 0, 0, 0, 0);
        }

        public override string ToString()
        {
            return IsValid
                ? _powerMilliwatts + " mW, " + _currentMilliamps + " mA, " + _busMillivolts + " mV"
                : Status.ToString() + ": " + Detail;
        }

        private long Checked(long value)
        {
            if (Status != SensorStatus.Ok)
            {
                throw new InvalidOperationException("no value: the sensor reading failed (" + Status.ToString() + ": " + Detail + ")");
            }
            return value;
        }
    }
}
