using System;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// Register-level driver for TI's INA219 (datasheet SBOS448). Hand-written rather than the
    /// nanoFramework IoT binding so the same code runs on the ESP32, on Linux and against the
    /// register model in the tests, and so every failure becomes a status instead of a plausible 0 W.
    /// </summary>
    public sealed class Ina219
    {
        public const int DefaultAddress = 0x40;

        public const int RegisterConfiguration = 0x00;
        public const int RegisterShuntVoltage = 0x01;
        public const int RegisterBusVoltage = 0x02;
        public const int RegisterPower = 0x03;
        public const int RegisterCurrent = 0x04;
        public const int RegisterCalibration = 0x05;

        /// <summary>Configuration after power-on or reset: 32 V range, PGA /8 (±320 mV), 12-bit, shunt and bus continuous.</summary>
        public const int ResetConfiguration = 0x399F;
        public const int ConfigurationResetBit = 0x8000;

        /// <summary>Bus voltage register flags: conversion ready, math overflow.</summary>
        public const int BusConversionReady = 0x0002;
        public const int BusMathOverflow = 0x0001;

        /// <summary>Power LSB = 20 × Current_LSB (datasheet §8.5.1).</summary>
        public const int PowerLsbFactor = 20;

        /// <summary>The calibration register's bit 0 is void (reads 0), so only even values exist.</summary>
        public const int MaxCalibration = 0xFFFE;

        private readonly InaRegisters _registers;
        private readonly long _shuntMicroohms;
        private readonly int _configuration;
        private bool _initialized;
        private bool _sawConversion;

        /// <param name="configuration">Configuration register value, e.g. <see cref="ResetConfiguration"/> or <see cref="MakeConfiguration"/>.</param>
        public Ina219(II2cDevice device, long shuntMicroohms, long currentLsbMicroamps, int configuration)
        {
            ArgumentNullException.ThrowIfNull(device);
            if ((configuration & ConfigurationResetBit) != 0 || configuration < 0 || configuration > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(configuration), "configuration must be a 16-bit value without the reset bit");
            }
            _registers = new InaRegisters(device);
            _shuntMicroohms = shuntMicroohms;
            _configuration = configuration;
            int cal = InaCalibration.Compute(InaCalibration.Ina219Numerator, currentLsbMicroamps, shuntMicroohms, 0xFFFF);
            Calibration = cal & MaxCalibration;
            if (Calibration == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(currentLsbMicroamps), "calibration rounds to 0 once its void bit 0 is dropped: choose a smaller current LSB");
            }
        }

        /// <summary>The value written to the calibration register (bit 0 already dropped).</summary>
        public int Calibration { get; }

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

        /// <summary>Resets the chip, checks it is an INA219 (reset value), writes configuration and calibration and reads both back.</summary>
        public SensorStatus Initialize(out string detail)
        {
            _initialized = false;
            _sawConversion = false;
            if (!_registers.TryWrite(RegisterConfiguration, ConfigurationResetBit))
            {
                detail = "INA219: no ACK on reset: check wiring, power and the address (A0/A1 pins)";
                return SensorStatus.BusError;
            }
            if (!_registers.TryRead(RegisterConfiguration, out int afterReset))
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
            if (!_registers.TryWrite(RegisterConfiguration, _configuration) || !_registers.TryWrite(RegisterCalibration, Calibration))
            {
                detail = "INA219: writing configuration/calibration failed";
                return SensorStatus.BusError;
            }
            if (!_registers.TryRead(RegisterConfiguration, out int config) || !_registers.TryRead(RegisterCalibration, out int cal))
            {
                detail = "INA219: reading back configuration/calibration failed";
                return SensorStatus.BusError;
            }
            if (config != _configuration || cal != Calibration)
            {
                detail = "INA219: read back configuration " + InaRegisters.Hex16(config) + "/calibration " + InaRegisters.Hex16(cal)
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
                return PowerSensorReading.Failed(SensorStatus.NotInitialized, "INA219: Initialize has not succeeded");
            }
            // Bus voltage first: it carries CNVR and OVF, and reading the power register clears CNVR.
            if (!_registers.TryRead(RegisterBusVoltage, out int bus))
            {
                return BusFailure("bus voltage");
            }
            if (!_registers.TryRead(RegisterCalibration, out int cal))
            {
                return BusFailure("calibration");
            }
            if (cal != Calibration)
            {
                _initialized = false;
                return PowerSensorReading.Failed(SensorStatus.CalibrationLost,
                    "INA219: calibration register reads " + InaRegisters.Hex16(cal) + " instead of " + InaRegisters.Hex16(Calibration)
                    + " (chip reset, brown-out?): call Initialize again");
            }
            if ((bus & BusConversionReady) != 0)
            {
                _sawConversion = true;
            }
            if (!_sawConversion)
            {
                return PowerSensorReading.Failed(SensorStatus.NotReady, "INA219: no conversion completed since configuration yet");
            }
            if ((bus & BusMathOverflow) != 0)
            {
                return PowerSensorReading.Failed(SensorStatus.Overflow,
                    "INA219: math overflow flag (OVF): current or power exceeds the calibrated range; raise the current LSB");
            }
            if (!_registers.TryRead(RegisterShuntVoltage, out int shuntRaw)
                || !_registers.TryRead(RegisterCurrent, out int currentRaw)
                || !_registers.TryRead(RegisterPower, out int power))
            {
                return BusFailure("shunt/current/power");
            }
            int shunt = InaRegisters.ToSigned16(shuntRaw);
            int fullScale = 4000 << ((_configuration >> 11) & 3);
            if (shunt >= fullScale || shunt <= -fullScale)
            {
                return PowerSensorReading.Failed(SensorStatus.Overflow,
                    "INA219: shunt voltage at the PGA full scale (±" + (fullScale / 100) + " mV): the real current may be higher; use a larger PGA range or smaller shunt");
            }
            int current = InaRegisters.ToSigned16(currentRaw);
            long currentMilliamps = InaCalibration.RegisterToMilli(current, 1, InaCalibration.Ina219Numerator, Calibration, _shuntMicroohms);
            long powerMilliwatts = InaCalibration.RegisterToMilli(power, PowerLsbFactor, InaCalibration.Ina219Numerator, Calibration, _shuntMicroohms);
            if (current < 0)
            {
                powerMilliwatts = -powerMilliwatts;
            }
            long busMillivolts = (bus >> 3) * 4L;
            return PowerSensorReading.Valid(busMillivolts, shunt * 10_000L, currentMilliamps, powerMilliwatts);
        }

        private static PowerSensorReading BusFailure(string what)
        {
            return PowerSensorReading.Failed(SensorStatus.BusError, "INA219: reading the " + what + " register failed (no ACK): check wiring and power");
        }
    }
}
