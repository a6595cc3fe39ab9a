using System;
using System.Collections.Generic;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// Hamilton's largest-remainder method: splits an integer total in proportion to integer weights so that the
/// parts add up to the total exactly. Each part is floor(total·wᵢ/W) or one more; the units left after flooring
/// go to the largest remainders (total·wᵢ mod W), ties to the lower index — callers pass houses sorted by id.
/// </summary>
public static class LargestRemainder
{
    public static long[] Allocate(long total, IReadOnlyList<long> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        var parts = new long[weights.Count];
        Int128 weightSum = 0;
        foreach (long w in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(w);
            weightSum += w;
        }
        if (weightSum == 0)
        {
            if (total != 0) throw new ArgumentException($"cannot allocate {total} over weights that are all zero");
            return parts;
        }
        var remainders = new Int128[weights.Count];
        long allocated = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            Int128 product = (Int128)total * weights[i];
            parts[i] = (long)(product / weightSum);
            remainders[i] = product % weightSum;
            allocated += parts[i];
        }
        var order = new int[weights.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // Stable order by descending remainder, then ascending index: deterministic on every machine.
        Array.Sort(order, (a, b) => remainders[a] != remainders[b] ? remainders[b].CompareTo(remainders[a]) : a.CompareTo(b));
        for (long left = total - allocated, k = 0; left > 0; left--, k++) parts[order[k]]++;
        return parts;
    }
}
