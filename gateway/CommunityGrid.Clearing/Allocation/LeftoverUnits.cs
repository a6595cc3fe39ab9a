using System;
using System.Numerics;

namespace CommunityGrid.Clearing.Allocation;

/// <summary>
/// The last step of largest-remainder rounding: after every share got its floor, the <c>leftover</c> units go
/// one each to the shares with the largest remainders, equal remainders to the lower index (the callers'
/// indices are in ascending id order). Sorting every share by (remainder, index) gives the same answer; this
/// finds the threshold remainder with a selection instead, O(n) expected, without a comparison delegate.
/// </summary>
internal static class LeftoverUnits
{
    /// <param name="amounts">The floors, in tie-break order; the winners get one unit more.</param>
    /// <param name="remainders">Each share's remainder over the common denominator (same order).</param>
    /// <param name="leftover">0 ≤ leftover ≤ the number of non-zero remainders.</param>
    public static void Award<T>(Span<long> amounts, ReadOnlySpan<T> remainders, long leftover)
        where T : IBinaryInteger<T>
    {
        if (leftover == 0)
        {
            return;
        }

        var nonZero = 0;
        foreach (var remainder in remainders)
        {
            if (remainder != T.Zero)
            {
                nonZero++;
            }
        }

        if (leftover < 0 || leftover > nonZero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(leftover), "The total must lie between the sum of the shares' floors and the sum of their ceilings.");
        }

        if (leftover == nonZero)
        {
            // Every share with a fractional part rounds up: they are exactly the first nonZero in sorted order.
            for (var i = 0; i < amounts.Length; i++)
            {
                if (remainders[i] != T.Zero)
                {
                    amounts[i]++;
                }
            }

            return;
        }

        var winners = (int)leftover;
        var threshold = KthLargest(remainders, winners);
        var above = 0;
        for (var i = 0; i < amounts.Length; i++)
        {
            if (remainders[i] > threshold)
            {
                amounts[i]++;
                above++;
            }
        }

        // The rest of the units go to the lowest indices among the remainders equal to the threshold.
        var atThreshold = winners - above;
        for (var i = 0; i < amounts.Length && atThreshold > 0; i++)
        {
            if (remainders[i] == threshold)
            {
                amounts[i]++;
                atThreshold--;
            }
        }
    }

    /// <summary>
    /// The k-th largest value (k ≥ 1) by introselect on a copy: three-way partitions around a median of three
    /// (many equal remainders are common), falling back to a full sort of the range if the partitions keep
    /// coming out lopsided, so no input can make it quadratic.
    /// </summary>
    internal static T KthLargest<T>(ReadOnlySpan<T> values, int k)
        where T : IBinaryInteger<T>
    {
        var scratch = values.ToArray().AsSpan();
        var target = k - 1; // index in descending order
        var low = 0;
        var high = scratch.Length - 1;
        var budget = 2 * (64 - ulong.LeadingZeroCount((ulong)scratch.Length));
        while (low < high)
        {
            if (budget-- == 0)
            {
                var range = scratch[low..(high + 1)];
                range.Sort();
                return range[range.Length - 1 - (target - low)];
            }

            var pivot = MedianOfThree(scratch[low], scratch[low + ((high - low) >> 1)], scratch[high]);

            // Descending three-way partition: [low, greater) > pivot, [greater, i) == pivot, (less, high] < pivot.
            var greater = low;
            var less = high;
            var i = low;
            while (i <= less)
            {
                var value = scratch[i];
                if (value > pivot)
                {
                    scratch[i] = scratch[greater];
                    scratch[greater] = value;
                    greater++;
                    i++;
                }
                else if (value < pivot)
                {
                    scratch[i] = scratch[less];
                    scratch[less] = value;
                    less--;
                }
                else
                {
                    i++;
                }
            }

            if (target < greater)
            {
                high = greater - 1;
            }
            else if (target > less)
            {
                low = less + 1;
            }
            else
            {
                return pivot;
            }
        }

        return scratch[target];
    }

    private static T MedianOfThree<T>(T a, T b, T c)
        where T : IBinaryInteger<T>
    {
        if (a > b)
        {
            (a, b) = (b, a);
        }

        if (b > c)
        {
            b = c;
        }

        return a > b ? a : b;
    }
}
