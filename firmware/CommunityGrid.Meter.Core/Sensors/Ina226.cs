using System;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// Register-level driver for TI's INA226 (datasheet SBOS547). nanoFramework has no INA226 binding,
    /// and this one must run on the device, on Linux and against the tests' register model alike.
    /// </summary>
    public sealed class Ina226 : InaPowerMonitor
    {
        public const int DefaultAddress = 0x40;

        public const int RegisterMaskEnable = 0x06;
        public const int RegisterAlertLimit = 0x07;
        public const int RegisterManufacturerId = 0xFE;
        public const int RegisterDieId = 0xFF;

        public const int ManufacturerId = 0x5449; // "TI"
        public const int DieId = 0x2260;

        /// <summary>Configuration after reset: 1 average, 1.1 ms bus and shunt conversion, shunt and bus continuous.</summary>
        public const int ResetConfiguration = 0x4127;

        /// <summary>Mask/Enable flags: conversion ready (CVRF, cleared by reading this register), math overflow (OVF).</summary>
        public const int MaskConversionReady = 0x0008;
        public const int MaskMathOverflow = 0x0004;

        /// <summary>Power LSB = 25 × Current_LSB (datasheet §7.5).</summary>
        public const int PowerLsb = 25;

        /// <summary>Bit 15 of the calibration register is reserved.</summary>
        public const int MaxCalibration = 0x7FFF;

        public Ina226(II2cDevice device, long shuntMicroohms, long currentLsbMicroamps, int configuration)
            : base(device, shuntMicroohms, configuration)
        {
            Calibration = InaCalibration.Compute(InaCalibration.Ina226Numerator, currentLsbMicroamps, shuntMicroohms, MaxCalibration);
        }

        protected override string ChipName => "INA226";

        protected override long CalibrationNumerator => InaCalibration.Ina226Numerator;

        protected override int PowerLsbFactor => PowerLsb;

        /// <param name="averaging">0..7: 1, 4, 16, 64, 128, 256, 512, 1024 samples.</param>
        /// <param name="busConversion">0..7: 140 µs .. 8.244 ms.</param>
        /// <param name="shuntConversion">0..7: 140 µs .. 8.244 ms.</param>
        /// <param name="mode">0..7; 7 = shunt and bus, continuous.</param>
        public static int MakeConfiguration(int averaging, int busConversion, int shuntConversion, int mode)
        {
            if (averaging < 0 || averaging > 7 || busConversion < 0 || busConversion > 7 || shuntConversion < 0 || shuntConversion > 7 || mode < 0 || mode > 7)
            {
                throw new ArgumentOutOfRangeException(nameof(averaging), "a configuration field is out of range");
            }
            // Bit 14 is fixed at 1 in the INA226's configuration register.
            return 0x4000 | (averaging << 9) | (busConversion << 6) | (shuntConversion << 3) | mode;
        }

        protected override SensorStatus Identify(out string detail)
        {
            if (!Registers.TryRead(RegisterManufacturerId, out int manufacturer) || !Registers.TryRead(RegisterDieId, out int die))
            {
                detail = "INA226: reading the id registers failed";
                return SensorStatus.BusError;
            }
            if (manufacturer != ManufacturerId || die != DieId)
            {
                detail = "INA226: ids read " + InaRegisters.Hex16(manufacturer) + "/" + InaRegisters.Hex16(die) + ", expected "
                    + InaRegisters.Hex16(ManufacturerId) + "/" + InaRegisters.Hex16(DieId) + ": another chip at this address?";
                return SensorStatus.WrongDevice;
            }
            detail = "";
            return SensorStatus.Ok;
        }

        protected override bool TryReadFlags(out int flags, out string register)
        {
            register = "mask/enable";
            return Registers.TryRead(RegisterMaskEnable, out flags);
        }

        protected override bool IsConversionReady(int flags) => (flags & MaskConversionReady) != 0;

        protected override bool IsMathOverflow(int flags) => (flags & MaskMathOverflow) != 0;

        protected override bool TryReadValues(int flags, out long busMillivolts, out long shuntNanovolts,
            out int currentRaw, out int powerRaw, out PowerSensorReading? failure)
        {
            busMillivolts = 0;
            shuntNanovolts = 0;
            currentRaw = 0;
            powerRaw = 0;
            failure = null;
            if (!Registers.TryRead(RegisterShuntVoltage, out int shuntRaw)
                || !Registers.TryRead(RegisterBusVoltage, out int bus)
                || !Registers.TryRead(RegisterCurrent, out currentRaw)
                || !Registers.TryRead(RegisterPower, out powerRaw))
            {
                failure = BusFailure("shunt/bus/current/power");
                return false;
            }
            int shunt = InaRegisters.ToSigned16(shuntRaw);
            if (shunt == 32767 || shunt == -32768)
            {
                failure = PowerSensorReading.Failed(SensorStatus.Overflow,
                    "INA226: shunt voltage at full scale (±81.92 mV): the real current may be higher; use a smaller shunt");
                return false;
            }
            // Bus LSB is 1.25 mV: reg × 5 / 4, rounded half away from zero.
            busMillivolts = Rounding.DivideHalfAwayFromZero((bus & 0x7FFF) * 5L, 4);
            shuntNanovolts = shunt * 2_500L;
            return true;
        }
    }
}
