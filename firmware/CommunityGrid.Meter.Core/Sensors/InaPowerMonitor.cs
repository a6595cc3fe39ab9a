using System;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// What TI's INA219 and INA226 share: reset, identify, write and verify configuration and
    /// calibration, then per read check that the calibration survived (a brown-out resets it), that a
    /// conversion has completed and that the math did not overflow, and only then report values.
    /// The chips differ in how they identify themselves, where their flags live and their LSBs; the
    /// subclasses say only that.
    /// </summary>
    public abstract class InaPowerMonitor
    {
        public const int RegisterConfiguration = 0x00;
        public const int RegisterShuntVoltage = 0x01;
        public const int RegisterBusVoltage = 0x02;
        public const int RegisterPower = 0x03;
        public const int RegisterCurrent = 0x04;
        public const int RegisterCalibration = 0x05;
        public const int ConfigurationResetBit = 0x8000;

        private readonly InaRegisters _registers;
        private readonly long _shuntMicroohms;
        private readonly int _configuration;
        private bool _initialized;
        private bool _sawConversion;

        protected InaPowerMonitor(II2cDevice device, long shuntMicroohms, int configuration)
        {
            ArgumentNullException.ThrowIfNull(device);
            if ((configuration & ConfigurationResetBit) != 0 || configuration < 0 || configuration > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(configuration), "configuration must be a 16-bit value without the reset bit");
            }
            _registers = new InaRegisters(device);
            _shuntMicroohms = shuntMicroohms;
            _configuration = configuration;
        }

        /// <summary>The value written to the calibration register.</summary>
        public int Calibration { get; protected set; }

        protected int Configuration => _configuration;

        private protected InaRegisters Registers => _registers;

        /// <summary>"INA219" or "INA226", for messages.</summary>
        protected abstract string ChipName { get; }

        /// <summary>The datasheet's calibration numerator (see <see cref="InaCalibration"/>).</summary>
        protected abstract long CalibrationNumerator { get; }

        /// <summary>Power LSB = this × Current_LSB.</summary>
        protected abstract int PowerLsbFactor { get; }

        /// <summary>After a reset: is this the expected chip? Returns Ok or the status to report, with a detail.</summary>
        protected abstract SensorStatus Identify(out string detail);

        /// <summary>Reads the register holding the conversion-ready and overflow flags; false on a bus failure.</summary>
        protected abstract bool TryReadFlags(out int flags, out string register);

        protected abstract bool IsConversionReady(int flags);

        protected abstract bool IsMathOverflow(int flags);

        /// <summary>Reads the remaining registers and checks the shunt against its full scale; false with <paramref name="failure"/> set otherwise.</summary>
        protected abstract bool TryReadValues(int flags, out long busMillivolts, out long shuntNanovolts,
            out int currentRaw, out int powerRaw, out PowerSensorReading? failure);

        /// <summary>Resets the chip, checks its identity, writes configuration and calibration and reads both back.</summary>
        public SensorStatus Initialize(out string detail)
        {
            _initialized = false;
            _sawConversion = false;
            if (!_registers.TryWrite(RegisterConfiguration, ConfigurationResetBit))
            {
                detail = ChipName + ": no ACK on reset: check wiring, power and the address (A0/A1 pins)";
                return SensorStatus.BusError;
            }
            SensorStatus identity = Identify(out detail);
            if (identity != SensorStatus.Ok)
            {
                return identity;
            }
            if (!_registers.TryWrite(RegisterConfiguration, _configuration) || !_registers.TryWrite(RegisterCalibration, Calibration))
            {
                detail = ChipName + ": writing configuration/calibration failed";
                return SensorStatus.BusError;
            }
            if (!_registers.TryRead(RegisterConfiguration, out int config) || !_registers.TryRead(RegisterCalibration, out int cal))
            {
                detail = ChipName + ": reading back configuration/calibration failed";
                return SensorStatus.BusError;
            }
            if (config != _configuration || cal != Calibration)
            {
                detail = ChipName + ": read back configuration " + InaRegisters.Hex16(config) + "/calibration " + InaRegisters.Hex16(cal)
                    + ", wrote " + InaRegisters.Hex16(_configuration) + "/" + InaRegisters.Hex16(Calibration);
                return SensorStatus.WrongDevice;
            }
            _initialized = true;
            detail = "";
            return SensorStatus.Ok;
        }

        public PowerSensorReading Read()
        {
            if (!_initialized)
            {
                return PowerSensorReading.Failed(SensorStatus.NotInitialized, ChipName + ": Initialize has not succeeded");
            }
            // The flags first: reading the power register (INA219) or the flag register itself (INA226) clears them.
            if (!TryReadFlags(out int flags, out string flagRegister))
            {
                return BusFailure(flagRegister);
            }
            if (!_registers.TryRead(RegisterCalibration, out int cal))
            {
                return BusFailure("calibration");
            }
            if (cal != Calibration)
            {
                _initialized = false;
                return PowerSensorReading.Failed(SensorStatus.CalibrationLost,
                    ChipName + ": calibration register reads " + InaRegisters.Hex16(cal) + " instead of " + InaRegisters.Hex16(Calibration)
                    + " (chip reset, brown-out?): call Initialize again");
            }
            if (IsConversionReady(flags))
            {
                _sawConversion = true;
            }
            if (!_sawConversion)
            {
                return PowerSensorReading.Failed(SensorStatus.NotReady, ChipName + ": no conversion completed since configuration yet");
            }
            if (IsMathOverflow(flags))
            {
                return PowerSensorReading.Failed(SensorStatus.Overflow,
                    ChipName + ": math overflow flag (OVF): current or power exceeds the calibrated range; raise the current LSB");
            }
            if (!TryReadValues(flags, out long busMillivolts, out long shuntNanovolts, out int currentRaw, out int power, out PowerSensorReading? failure))
            {
                return failure!;
            }
            int current = InaRegisters.ToSigned16(currentRaw);
            long currentMilliamps = InaCalibration.RegisterToMilli(current, 1, CalibrationNumerator, Calibration, _shuntMicroohms);
            long powerMilliwatts = InaCalibration.RegisterToMilli(power, PowerLsbFactor, CalibrationNumerator, Calibration, _shuntMicroohms);
            // The power register holds a magnitude; its sign is the current's.
            if (current < 0)
            {
                powerMilliwatts = -powerMilliwatts;
            }
            return PowerSensorReading.Valid(busMillivolts, shuntNanovolts, currentMilliamps, powerMilliwatts);
        }

        protected PowerSensorReading BusFailure(string what)
        {
            return PowerSensorReading.Failed(SensorStatus.BusError, ChipName + ": reading the " + what + " register failed (no ACK): check wiring and power");
        }
    }
}
