using System;
using System.Collections.Generic;

namespace CommunityGrid.Clearing.Sorting;

/// <summary>
/// Sorts ids ascending by ordinal (UTF-16 code unit) comparison, carrying each id's input position along.
/// Instead of comparing strings O(n log n) times it sorts precomputed 64-bit keys: the characters right after
/// the prefix all ids share, packed big-endian (8 bits each when every such character is below 256, else 16),
/// a missing character packed as 0. A smaller key means an ordinally smaller id (a shorter id whose characters
/// match is a prefix, and prefixes sort first), so only ids with equal keys need a full ordinal comparison; at
/// worst (ids that agree in all those characters) that is the comparison sort this replaces, never more.
/// </summary>
internal static class OrdinalSort
{
    private const int SmallCount = 32;

    /// <param name="ids">The ids, unique; sorted in place.</param>
    /// <param name="positions">On return, positions[k] is the input index of the k-th smallest id.</param>
    public static void Sort(string[] ids, int[] positions)
    {
        var count = ids.Length;
        for (var i = 0; i < count; i++)
        {
            positions[i] = i;
        }

        if (count <= SmallCount)
        {
            Array.Sort(ids, positions, StringComparer.Ordinal);
            return;
        }

        var shared = SharedPrefixLength(ids);
        var keys = new ulong[count];
        uint widest = 0;
        for (var i = 0; i < count; i++)
        {
            keys[i] = Key8(ids[i], shared, ref widest);
        }

        if (widest > 0xff)
        {
            for (var i = 0; i < count; i++)
            {
                keys[i] = Key16(ids[i], shared);
            }
        }

        var order = positions;
        RadixSort.Sort(keys, order);
        ResolveEqualKeys(ids, keys, order);

        var sorted = new string[count];
        for (var k = 0; k < count; k++)
        {
            sorted[k] = ids[order[k]];
        }

        sorted.CopyTo(ids, 0);
    }

    private static int SharedPrefixLength(string[] ids)
    {
        var first = ids[0].AsSpan();
        var shared = first.Length;
        for (var i = 1; i < ids.Length && shared > 0; i++)
        {
            shared = first[..shared].CommonPrefixLength(ids[i]);
        }

        return shared;
    }

    /// <summary>8 characters, 8 bits each; <paramref name="widest"/> collects the characters' bits to tell whether they fitted.</summary>
    private static ulong Key8(string id, int start, ref uint widest)
    {
        ulong key = 0;
        for (var c = 0; c < 8; c++)
        {
            var at = start + c;
            uint character = at < id.Length ? id[at] : 0u;
            widest |= character;
            key = (key << 8) | (byte)character;
        }

        return key;
    }

    private static ulong Key16(string id, int start)
    {
        ulong key = 0;
        for (var c = 0; c < 4; c++)
        {
            var at = start + c;
            key = (key << 16) | (at < id.Length ? id[at] : 0u);
        }

        return key;
    }

    /// <summary>Runs of equal keys are ordered by a full ordinal comparison of their ids.</summary>
    private static void ResolveEqualKeys(string[] ids, ulong[] keys, int[] order)
    {
        IComparer<int>? comparer = null;
        var start = 0;
        while (start < keys.Length)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                comparer ??= new ByOrdinalId(ids);
                Array.Sort(order, start, end - start, comparer);
            }

            start = end;
        }
    }

    private sealed class ByOrdinalId(string[] ids) : IComparer<int>
    {
        public int Compare(int x, int y) => string.CompareOrdinal(ids[x], ids[y]);
    }
}
