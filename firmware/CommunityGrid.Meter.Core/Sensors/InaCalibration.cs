using System;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>
    /// Calibration arithmetic for TI's INA219/INA226 in integers (micro-amps, micro-ohms), so every
    /// meter computes bit-identical values. The datasheet formulas are Cal = trunc(0.04096 / (Current_LSB × R))
    /// (INA219) and trunc(0.00512 / (Current_LSB × R)) (INA226) with amps and ohms; with µA and µΩ the
    /// constants become 0.04096e12 and 0.00512e12.
    /// </summary>
    public static class InaCalibration
    {
        /// <summary>INA219's 0.04096 expressed in µA·µΩ.</summary>
        public const long Ina219Numerator = 40_960_000_000L;

        /// <summary>INA226's 0.00512 expressed in µA·µΩ.</summary>
        public const long Ina226Numerator = 5_120_000_000L;

        /// <summary>Largest shunt we accept (10 Ω); keeps every product in this class well inside a long.</summary>
        public const long MaxShuntMicroohms = 10_000_000L;

        /// <summary>Largest current LSB we accept (10 A per bit).</summary>
        public const long MaxCurrentLsbMicroamps = 10_000_000L;

        /// <summary>Cal = trunc(numerator / (currentLsb × shunt)), checked against the register's range.</summary>
        /// <exception cref="ArgumentOutOfRangeException">the LSB and shunt give a value of 0 or above <paramref name="maxValue"/>.</exception>
        public static int Compute(long numerator, long currentLsbMicroamps, long shuntMicroohms, int maxValue)
        {
            if (shuntMicroohms < 1 || shuntMicroohms > MaxShuntMicroohms)
            {
                throw new ArgumentOutOfRangeException(nameof(shuntMicroohms), "shunt must be 1 µΩ .. 10 Ω, got " + shuntMicroohms + " µΩ");
            }
            if (currentLsbMicroamps < 1 || currentLsbMicroamps > MaxCurrentLsbMicroamps)
            {
                throw new ArgumentOutOfRangeException(nameof(currentLsbMicroamps), "current LSB must be 1 µA .. 10 A, got " + currentLsbMicroamps + " µA");
            }
            long cal = numerator / (currentLsbMicroamps * shuntMicroohms);
            if (cal < 1 || cal > maxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(currentLsbMicroamps),
                    "calibration " + cal + " is outside 1.." + maxValue + " for a " + currentLsbMicroamps + " µA LSB and a "
                    + shuntMicroohms + " µΩ shunt: choose a current LSB near (max expected current / 32768)");
            }
            return (int)cal;
        }

        /// <summary>
        /// Converts a current (factor 1) or power (factor 20 or 25) register to milli-units, rounded half away
        /// from zero. It uses the LSB the chip really applies, numerator / (cal × shunt), rather than the
        /// requested one: Cal was truncated, so the requested LSB would carry that truncation error.
        /// </summary>
        internal static long RegisterToMilli(long register, long lsbFactor, long numerator, int calibration, long shuntMicroohms)
        {
            return Rounding.DivideHalfAwayFromZero(register * lsbFactor * numerator, (long)calibration * shuntMicroohms * 1000L);
        }
    }
}
