using System;
using CommunityGrid.Meter.Bus;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// Register-level driver for TI's INA226 (datasheet SBOS547). nanoFramework has no INA226 binding,
    /// and this one must run on the device, on Linux and against the tests' register model alike.
    /// </summary>
    public sealed class Ina226
    {
        public const int DefaultAddress = 0x40;

        public const int RegisterConfiguration = 0x00;
        public const int RegisterShuntVoltage = 0x01;
        public const int RegisterBusVoltage = 0x02;
        public const int RegisterPower = 0x03;
        public const int RegisterCurrent = 0x04;
        public const int RegisterCalibration = 0x05;
        public const int RegisterMaskEnable = 0x06;
        public const int RegisterAlertLimit = 0x07;
        public const int RegisterManufacturerId = 0xFE;
        public const int RegisterDieId = 0xFF;

        public const int ManufacturerId = 0x5449; // "TI"
        public const int DieId = 0x2260;

        /// <summary>Configuration after reset: 1 average, 1.1 ms bus and shunt conversion, shunt and bus continuous.</summary>
        public const int ResetConfiguration = 0x4127;
        public const int ConfigurationResetBit = 0x8000;

        /// <summary>Mask/Enable flags: conversion ready (CVRF, cleared by reading this register), math overflow (OVF).</summary>
        public const int MaskConversionReady = 0x0008;
        public const int MaskMathOverflow = 0x0004;

        /// <summary>Power LSB = 25 × Current_LSB (datasheet §7.5).</summary>
        public const int PowerLsbFactor = 25;

        /// <summary>Bit 15 of the calibration register is reserved.</summary>
        public const int MaxCalibration = 0x7FFF;

        private readonly InaRegisters _registers;
        private readonly long _shuntMicroohms;
        private readonly int _configuration;
        private bool _initialized;
        private bool _sawConversion;

        public Ina226(II2cDevice device, long shuntMicroohms, long currentLsbMicroamps, int configuration)
        {
            ArgumentNullException.ThrowIfNull(device);
            if ((configuration & ConfigurationResetBit) != 0 || configuration < 0 || configuration > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(configuration), "configuration must be a 16-bit value without the reset bit");
            }
            _registers = new InaRegisters(device);
            _shuntMicroohms = shuntMicroohms;
            _configuration = configuration;
            Calibration = InaCalibration.Compute(InaCalibration.Ina226Numerator, currentLsbMicroamps, shuntMicroohms, MaxCalibration);
        }

        public int Calibration { get; }

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

        /// <summary>Resets the chip, checks its manufacturer and die ids, writes configuration and calibration and reads both back.</summary>
        public SensorStatus Initialize(out string detail)
        {
            _initialized = false;
            _sawConversion = false;
            if (!_registers.TryWrite(RegisterConfiguration, ConfigurationResetBit))
            {
                detail = "INA226: no ACK on reset: check wiring, power and the address (A0/A1 pins)";
                return SensorStatus.BusError;
            }
            if (!_registers.TryRead(RegisterManufacturerId, out int manufacturer) || !_registers.TryRead(RegisterDieId, out int die))
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
            if (!_registers.TryWrite(RegisterConfiguration, _configuration) || !_registers.TryWrite(RegisterCalibration, Calibration))
            {
                detail = "INA226: writing configuration/calibration failed";
                return SensorStatus.BusError;
            }
            if (!_registers.TryRead(RegisterConfiguration, out int config) || !_registers.TryRead(RegisterCalibration, out int cal))
            {
                detail = "INA226: reading back configuration/calibration failed";
                return SensorStatus.BusError;
            }
            if (config != _configuration || cal != Calibration)
            {
                detail = "INA226: read back configuration " + InaRegisters.Hex16(config) + "/calibration " + InaRegisters.Hex16(cal)
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
                return PowerSensorReading.Failed(SensorStatus.NotInitialized, "INA226: Initialize has not succeeded");
            }
            if (!_registers.TryRead(RegisterMaskEnable, out int flags))
            {
                return BusFailure("mask/enable");
            }
            if (!_registers.TryRead(RegisterCalibration, out int cal))
            {
                return BusFailure("calibration");
            }
            if (cal != Calibration)
            {
                _initialized = false;
                return PowerSensorReading.Failed(SensorStatus.CalibrationLost,
                    "INA226: calibration register reads " + InaRegisters.Hex16(cal) + " instead of " + InaRegisters.Hex16(Calibration)
                    + " (chip reset, brown-out?): call Initialize again");
            }
            if ((flags & MaskConversionReady) != 0)
            {
                _sawConversion = true;
            }
            if (!_sawConversion)
            {
                return PowerSensorReading.Failed(SensorStatus.NotReady, "INA226: no conversion completed since configuration yet");
            }
            if ((flags & MaskMathOverflow) != 0)
            {
                return PowerSensorReading.Failed(SensorStatus.Overflow,
                    "INA226: math overflow flag (OVF): current or power exceeds the calibrated range; raise the current LSB");
            }
            if (!_registers.TryRead(RegisterShuntVoltage, out int shuntRaw)
                || !_registers.TryRead(RegisterBusVoltage, out int bus)
                || !_registers.TryRead(RegisterCurrent, out int currentRaw)
                || !_registers.TryRead(RegisterPower, out int power))
            {
                return BusFailure("shunt/bus/current/power");
            }
            int shunt = InaRegisters.ToSigned16(shuntRaw);
            if (shunt == 32767 || shunt == -32768)
            {
                return PowerSensorReading.Failed(SensorStatus.Overflow,
                    "INA226: shunt voltage at full scale (±81.92 mV): the real current may be higher; use a smaller shunt");
            }
            int current = InaRegisters.ToSigned16(currentRaw);
            long currentMilliamps = InaCalibration.RegisterToMilli(current, 1, InaCalibration.Ina226Numerator, Calibration, _shuntMicroohms);
            long powerMilliwatts = InaCalibration.RegisterToMilli(power, PowerLsbFactor, InaCalibration.Ina226Numerator, Calibration, _shuntMicroohms);
            if (current < 0)
            {
                powerMilliwatts = -powerMilliwatts;
            }
            // Bus LSB is 1.25 mV: reg × 5 / 4, rounded half away from zero.
            long busMillivolts = Rounding.DivideHalfAwayFromZero((bus & 0x7FFF) * 5L, 4);
            return PowerSensorReading.Valid(busMillivolts, shunt * 2_500L, currentMilliamps, powerMilliwatts);
        }

        private static PowerSensorReading BusFailure(string what)
        {
            return PowerSensorReading.Failed(SensorStatus.BusError, "INA226: reading the " + what + " register failed (no ACK): check wiring and power");
        }
    }
}
