using System;

namespace CommunityGrid.Clearing.Sorting;

/// <summary>
/// LSD radix sort of 64-bit keys carrying an int payload, one counting pass per byte that differs between
/// keys (ids that share a format, such as "house-0012345", or prices below 2^24 vary in a few bytes only):
/// O(n) per pass, no comparisons. Stable: equal keys keep their payloads' input order.
/// </summary>
internal static class RadixSort
{
    public static void Sort(ulong[] keys, int[] order)
    {
        if (keys.Length < 2)
        {
            return;
        }

        ulong differing = 0;
        var first = keys[0];
        foreach (var key in keys)
        {
            differing |= key ^ first;
        }

        var keyBuffer = new ulong[keys.Length];
        var orderBuffer = new int[order.Length];
        Span<int> counts = stackalloc int[256];
        var fromKeys = keys;
        var fromOrder = order;
        var toKeys = keyBuffer;
        var toOrder = orderBuffer;
        for (var shift = 0; shift < 64; shift += 8)
        {
            if (((differing >> shift) & 0xff) == 0)
            {
                continue;
            }

            counts.Clear();
            foreach (var key in fromKeys)
            {
                counts[(int)((key >> shift) & 0xff)]++;
            }

            var next = 0;
            for (var digit = 0; digit < 256; digit++)
            {
                var count = counts[digit];
                counts[digit] = next;
                next += count;
            }

            for (var i = 0; i < fromKeys.Length; i++)
            {
                var key = fromKeys[i];
                var slot = counts[(int)((key >> shift) & 0xff)]++;
                toKeys[slot] = key;
                toOrder[slot] = fromOrder[i];
            }

            (fromKeys, toKeys) = (toKeys, fromKeys);
            (fromOrder, toOrder) = (toOrder, fromOrder);
        }

        if (!ReferenceEquals(fromKeys, keys))
        {
            fromKeys.CopyTo(keys, 0);
            fromOrder.CopyTo(order, 0);
        }
    }
}
