using System;
using CommunityGrid.Clearing.Allocation;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>
/// Energy shared pro rata: share i = total·w_i / Σw rounded to whole Wh by largest remainder (ties to the lower
/// index, i.e. the lower id). Volumes are Wh within the engine's bounds: total·w_i ≤ 1.05·10^26 (UInt128),
/// Σw ≤ 1.05·10^16, so every remainder fits a ulong (ArithmeticBounds).
/// </summary>
internal static class ProRata
{
    public static void Split(long total, ReadOnlySpan<long> weights, Span<long> shares)
    {
        long weightSum = 0;
        foreach (var weight in weights)
        {
            weightSum += weight;
        }

        if (weightSum == 0)
        {
            if (total != 0)
            {
                throw new InvalidOperationException("A non-zero volume cannot be shared over zero weight.");
            }

            shares.Clear();
            return;
        }

        if (total == weightSum)
        {
            // Everyone gets their whole weight: Q = D for the buyers, Q = G for the sellers.
            weights.CopyTo(shares);
            return;
        }

        var remainders = new ulong[weights.Length];
        var leftover = total;
        var divisor = (UInt128)(ulong)weightSum;
        for (var i = 0; i < weights.Length; i++)
        {
            var share = (long)WideDivision.DivRem((UInt128)(ulong)total * (ulong)weights[i], divisor, out var remainder);
            shares[i] = share;
            remainders[i] = (ulong)remainder;
            leftover -= share;
        }

        LeftoverUnits.Award<ulong>(shares, remainders, leftover);
    }
}
