using System;

namespace CommunityGrid.Meter.Sensors
{
    /// <summary>Integer division with a stated rounding rule (the device has no System.Math).</summary>
    internal static class Rounding
    {
        /// <summary>numerator / denominator rounded to the nearest integer, halves away from zero.</summary>
        public static long DivideHalfAwayFromZero(long numerator, long denominator)
        {
            if (denominator <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(denominator), "denominator must be positive");
            }
            long half = denominator / 2;
            bool exactHalfPossible = (denominator & 1) == 0;
            if (numerator >= 0)
            {
                long q = numerator / denominator;
                long r = numerator - q * denominator;
                return (r > half || (exactHalfPossible && r == half)) ? q + 1 : q;
            }
            else
            {
                long q = numerator / denominator; // truncates toward zero
                long r = q * denominator - numerator; // magnitude of the remainder
                return (r > half || (exactHalfPossible && r == half)) ? q - 1 : q;
            }
        }
    }
}
