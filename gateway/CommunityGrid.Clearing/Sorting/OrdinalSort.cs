using System;

namespace CommunityGrid.Clearing.Sorting;

/// <summary>Sorts ids ascending by ordinal comparison, carrying each id's input position along.</summary>
internal static class OrdinalSort
{
    public static void Sort(string[] ids, int[] positions) => Array.Sort(ids, positions, StringComparer.Ordinal);
}
