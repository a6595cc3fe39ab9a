using System;

namespace CommunityGrid.Clearing.Arithmetic;

/// <summary>
/// Unsigned 128-bit division with the fast paths the engine's operands take almost always: a dividend that
/// fits 64 bits, or a divisor below 2^32 (three 64-bit divisions, schoolbook on 32-bit digits). Anything
/// else goes to <see cref="UInt128"/>'s general division. Exact in every case.
/// </summary>
internal static class WideDivision
{
    public static UInt128 DivRem(UInt128 dividend, UInt128 divisor, out UInt128 remainder)
    {
        var divisorHigh = (ulong)(divisor >> 64);
        var dividendHigh = (ulong)(dividend >> 64);
        if (divisorHigh == 0)
        {
            var low = (ulong)divisor;
            var dividendLow = (ulong)dividend;
            if (dividendHigh == 0)
            {
                var (quotient, rest) = Math.DivRem(dividendLow, low);
                remainder = rest;
                return quotient;
            }

            if (low <= uint.MaxValue)
            {
                // Each partial dividend is (rest < divisor < 2^32)·2^32 + a 32-bit digit, so it fits 64 bits
                // and each partial quotient fits 32 bits.
                var (high, rest) = Math.DivRem(dividendHigh, low);
                (var middle, rest) = Math.DivRem((rest << 32) | (dividendLow >> 32), low);
                (var last, rest) = Math.DivRem((rest << 32) | (dividendLow & uint.MaxValue), low);
                remainder = rest;
                return new UInt128(high, (middle << 32) | last);
            }
        }

        var (q, r) = UInt128.DivRem(dividend, divisor);
        remainder = r;
        return q;
    }
}
