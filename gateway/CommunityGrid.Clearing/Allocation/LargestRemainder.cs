using System;
using System.Collections.Generic;
using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Allocation;

/// <summary>
/// Largest-remainder (Hamilton) rounding: turns exact rational shares into integers that add up to a
/// given total, each share moving by less than one unit. Callers list the shares in tie-break order
/// (ascending house id, ordinal), so equal remainders are resolved the same way on every machine.
/// </summary>
public static class LargestRemainder
{
    /// <summary>
    /// Rounds <c>numerators[i] / denominator</c> (all ≥ 0) to integers summing to <paramref name="total"/>.
    /// Each result is the floor of its share, plus one for the shares with the largest fractional parts
    /// (earlier index first on equal parts). <paramref name="total"/> must lie between the sum of the
    /// floors and the sum of the ceilings, which guarantees every result is its share's floor or ceiling.
    /// </summary>
    public static long[] Round(BigInteger total, IReadOnlyList<BigInteger> numerators, BigInteger denominator)
    {
        if (denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denominator), "The common denominator must be positive.");
        }

        var count = numerators.Count;
        var floors = new BigInteger[count];
        var remainders = new BigInteger[count];
        var leftover = total;
        var withRemainder = 0;
        for (var i = 0; i < count; i++)
        {
            if (numerators[i].Sign < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(numerators), "Shares must not be negative.");
            }

            floors[i] = BigInteger.DivRem(numerators[i], denominator, out remainders[i]);
            leftover -= floors[i];
            if (!remainders[i].IsZero)
            {
                withRemainder++;
            }
        }

        if (leftover.Sign < 0 || leftover > withRemainder)
        {
            throw new ArgumentOutOfRangeException(
                nameof(total), "The total must lie between the sum of the shares' floors and the sum of their ceilings.");
        }

        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byRemainder = remainders[b].CompareTo(remainders[a]);
            return byRemainder != 0 ? byRemainder : a.CompareTo(b);
        });

        var result = new long[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = checked((long)floors[i]);
        }

        for (var k = 0; k < (int)leftover; k++)
        {
            result[order[k]] = checked(result[order[k]] + 1);
        }

        return result;
    }

    /// <summary>Splits <paramref name="total"/> pro rata to <paramref name="weights"/> (all ≥ 0).</summary>
    public static long[] Split(long total, IReadOnlyList<long> weights)
    {
        var count = weights.Count;
        UInt128 weightSum = 0;
        for (var i = 0; i < count; i++)
        {
            if (weights[i] < 0)
            {
                return SplitExactly(total, weights);
            }

            // At most 2^31 weights below 2^63 each: the sum stays below 2^94.
            weightSum += (ulong)weights[i];
        }

        if (total < 0)
        {
            return SplitExactly(total, weights);
        }

        if (weightSum == 0)
        {
            return total == 0
                ? new long[count]
                : throw new ArgumentOutOfRangeException(nameof(total), "A non-zero total cannot be split over zero weight.");
        }

        // total·w_i < 2^126; each floor is at most total, so it fits a long.
        var shares = new long[count];
        var remainders = new UInt128[count];
        var leftover = total;
        for (var i = 0; i < count; i++)
        {
            shares[i] = (long)WideDivision.DivRem((UInt128)(ulong)total * (ulong)weights[i], weightSum, out remainders[i]);
            leftover -= shares[i];
        }

        LeftoverUnits.Award(shares, remainders, leftover);
        return shares;
    }

    /// <summary>The general BigInteger path, for the cases <see cref="Split"/> refuses (negative totals or weights).</summary>
    private static long[] SplitExactly(long total, IReadOnlyList<long> weights)
    {
        BigInteger weightSum = 0;
        var numerators = new BigInteger[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            weightSum += weights[i];
            numerators[i] = (BigInteger)total * weights[i];
        }

        if (weightSum.IsZero)
        {
            if (total != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(total), "A non-zero total cannot be split over zero weight.");
            }

            return new long[weights.Count];
        }

        return Round(total, numerators, weightSum);
    }
}
