using System;

namespace CommunityGrid.Meter.Meters
{
    /// <summary>
    /// IEEE-754 binary32 from two Modbus registers to a rounded integer, with integer arithmetic only:
    /// the result must be bit-identical on the ESP32, on Linux and on the gateway that recomputes
    /// clearing, and the exact binary value is available from the bits anyway.
    /// </summary>
    public static class Float32Registers
    {
        public const long MaxMultiplier = 1_000_000L;

        /// <summary>The float's bits from two registers sent high word first (Eastron's default order).</summary>
        public static uint FromHighWordFirst(ushort high, ushort low)
        {
            return ((uint)high << 16) | low;
        }

        /// <summary>
        /// round(value × multiplier), halves rounded away from zero. The value is exactly
        /// mantissa × 2^(exponent − 150), so scaling by the multiplier first and shifting last loses nothing
        /// before the single rounding step.
        /// </summary>
        /// <exception cref="MeterValueException">NaN, ±infinity, or a result beyond a long.</exception>
        public static long ToRoundedInteger(uint bits, long multiplier)
        {
            if (multiplier < 1 || multiplier > MaxMultiplier)
            {
                throw new ArgumentOutOfRangeException(nameof(multiplier), "multiplier must be 1..1000000");
            }
            bool negative = (bits & 0x80000000u) != 0;
            int exponent = (int)((bits >> 23) & 0xFF);
            long mantissa = bits & 0x7FFFFF;
            if (exponent == 0xFF)
            {
                throw new MeterValueException(mantissa == 0 ? "the register holds infinity" : "the register holds NaN (no valid measurement)");
            }
            if (exponent == 0)
            {
                exponent = 1; // subnormal: no hidden bit, same scale as the smallest normal
            }
            else
            {
                mantissa |= 0x800000;
            }
            long scaled = mantissa * multiplier; // < 2^24 × 2^20
            int shift = exponent - 150;
            long magnitude;
            if (shift >= 0)
            {
                if (shift > 62 || scaled > (long.MaxValue >> shift))
                {
                    throw new MeterValueException("the register's value (2^" + (shift + 23) + " scale) does not fit a 64-bit integer");
                }
                magnitude = scaled << shift;
            }
            else if (-shift > 62)
            {
                magnitude = 0; // below 2^-18 after scaling: rounds to 0
            }
            else
            {
                int right = -shift;
                magnitude = scaled >> right;
                long remainder = scaled - (magnitude << right);
                if (remainder >= (1L << (right - 1)))
                {
                    magnitude++;
                }
            }
            return negative ? -magnitude : magnitude;
        }
    }
}
