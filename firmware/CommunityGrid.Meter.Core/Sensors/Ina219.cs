using System;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// Register-level driver for TI's INA219 (datasheet SBOS448). Hand-written rather than the
    /// nanoFramework IoT binding so the same code runs on the ESP32, on Linux and against the
    /// register model in the tests, and so every failure becomes a status instead of a plausible 0 W.
    /// </summary>
    public sealed class Ina219 : InaPowerMonitor
    {
        public const int DefaultAddress = 0x40;

        /// <summary>Configuration after power-on or reset: 32 V range, PGA /8 (±320 mV), 12-bit, shunt and bus continuous.</summary>
        public const int ResetConfiguration = 0x399F;

        /// <summary>Bus voltage register flags: conversion ready, math overflow.</summary>
        public const int BusConversionReady = 0x0002;
        public const int BusMathOverflow = 0x0001;

        /// <summary>Power LSB = 20 × Current_LSB (datasheet §8.5.1).</summary>
        public const int PowerLsb = 20;

        /// <summary>The calibration register's bit 0 is void (reads 0), so only even values exist.</summary>
        public const int MaxCalibration = 0xFFFE;

        /// <param name="configuration">Configuration register value, e.g. <see cref="ResetConfiguration"/> or <see cref="MakeConfiguration"/>.</param>
        public Ina219(II2cDevice device, long shuntMicroohms, long currentLsbMicroamps, int configuration)
            : base(device, shuntMicroohms, configuration)
        {
            int cal = InaCalibration.Compute(InaCalibration.Ina219Numerator, currentLsbMicroamps, shuntMicroohms, 0xFFFF);
            Calibration = cal & MaxCalibration;
            if (Calibration == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(currentLsbMicroamps), "calibration rounds to 0 once its void bit 0 is dropped: choose a smaller current LSB");
            }
        }

        protected override string ChipName => "INA219";

        protected override long CalibrationNumerator => InaCalibration.Ina219Numerator;

        protected override int PowerLsbFactor => PowerLsb;

        /// <param name="busRange32V">true: 0–32 V bus range; false: 0–16 V.</param>
        /// <param name="pgaShift">0..3: shunt range ±40 mV × 2^pgaShift.</param>
        /// <param name="busAdc">4-bit BADC field (resolution/averaging of the bus ADC).</param>
        /// <param name="shuntAdc">4-bit SADC field.</param>
        /// <param name="mode">3-bit operating mode; 7 = shunt and bus, continuous.</param>
        public static int MakeConfiguration(bool busRange32V, int pgaShift, int busAdc, int shuntAdc, int mode)
        {
            if (pgaShift < 0 || pgaShift > 3 || busAdc < 0 || busAdc > 15 || shuntAdc < 0 || shuntAdc > 15 || mode < 0 || mode > 7)
            {
                throw new ArgumentOutOfRangeException(nameof(pgaShift), "a configuration field is out of range");
            }
            return (busRange32V ? 0x2000 : 0) | (pgaShift << 11) | (busAdc << 7) | (shuntAdc << 3) | mode;
        }

        /// <summary>The INA219 has no id registers; its reset configuration is the best fingerprint.</summary>
        protected override SensorStatus Identify(out string detail)
        {
            if (!Registers.TryRead(RegisterConfiguration, out int afterReset))
            {
                detail = "INA219: configuration read after reset failed";
                return SensorStatus.BusError;
            }
            if (afterReset != ResetConfiguration)
            {
                detail = "INA219: configuration after reset is " + InaRegisters.Hex16(afterReset) + ", expected "
                    + InaRegisters.Hex16(ResetConfiguration) + ": another chip at this address?";
                return SensorStatus.WrongDevice;
            }
            detail = "";
            return SensorStatus.Ok;
        }

        /// <summary>The flags live in the bus voltage register; reading the power register clears CNVR.</summary>
        protected override bool TryReadFlags(out int flags, out string register)
        {
            register = "bus voltage";
            return Registers.TryRead(RegisterBusVoltage, out flags);
        }

        protected override bool IsConversionReady(int flags) => (flags & BusConversionReady) != 0;

        protected override bool IsMathOverflow(int flags) => (flags & BusMathOverflow) != 0;

        protected override bool TryReadValues(int flags, out long busMillivolts, out long shuntNanovolts,
            out int currentRaw, out int powerRaw, out PowerSensorReading? failure)
        {
            busMillivolts = (flags >> 3) * 4L;
            shuntNanovolts = 0;
            powerRaw = 0;
            failure = null;
            if (!Registers.TryRead(RegisterShuntVoltage, out int shuntRaw)
                || !Registers.TryRead(RegisterCurrent, out currentRaw)
                || !Registers.TryRead(RegisterPower, out powerRaw))
            {
                currentRaw = 0;
                failure = BusFailure("shunt/current/power");
                return false;
            }
            int shunt = InaRegisters.ToSigned16(shuntRaw);
            int fullScale = 4000 << ((Configuration >> 11) & 3);
            if (shunt >= fullScale || shunt <= -fullScale)
            {
                failure = PowerSensorReading.Failed(SensorStatus.Overflow,
                    "INA219: shunt voltage at the PGA full scale (±" + (fullScale / 100) + " mV): the real current may be higher; use a larger PGA range or smaller shunt");
                return false;
            }
            shuntNanovolts = shunt * 10_000L;
            return true;
        }
    }
}
