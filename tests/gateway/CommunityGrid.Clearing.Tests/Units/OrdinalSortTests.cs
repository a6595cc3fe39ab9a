using System;
using System.Linq;
using CommunityGrid.Clearing.Sorting;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Units;

/// <summary>The key-based sort against Array.Sort with StringComparer.Ordinal.</summary>
public class OrdinalSortTests
{
    // NUL (equal to a missing character in a key), ASCII, the last 8-bit character, the first 16-bit one, the last one.
    private static readonly Gen<string> Id =
        Gen.OneOf(Gen.Const('\0'), Gen.Char['a', 'c'], Gen.Const('\u00ff'), Gen.Const('\u0100'), Gen.Const('\uffff'), Gen.Char['0', '9'])
            .Array[0, 12].Select(chars => new string(chars));

    private static readonly Gen<string[]> Ids = Gen.Select(Gen.OneOf(Gen.Const(""), Gen.Const("house-"), Gen.Const("\u00ff\0")), Id.Array[0, 300])
        .Select((prefix, ids) => ids.Select(id => prefix + id).Distinct(StringComparer.Ordinal).ToArray());

    [Fact]
    public void Sorts_like_an_ordinal_array_sort_and_reports_input_positions() =>
        Ids.Sample(ids =>
        {
            var expected = (string[])ids.Clone();
            Array.Sort(expected, StringComparer.Ordinal);
            var sorted = (string[])ids.Clone();
            var positions = new int[ids.Length];
            OrdinalSort.Sort(sorted, positions);
            Assert.Equal(expected, sorted);
            for (var k = 0; k < sorted.Length; k++)
            {
                Assert.Same(ids[positions[k]], sorted[k]);
            }
        }, iter: 3_000);

    [Fact]
    public void Ids_equal_in_their_keys_are_ordered_by_the_rest()
    {
        // Same 8 characters after the shared prefix "x", different tails; a shorter id that is a prefix sorts first;
        // "ab" and "ab\0" pack to the same key.
        var ids = Enumerable.Range(0, 100).Select(i => $"x12345678{(char)('z' - i % 26)}{i}")
            .Concat(["x12345678", "xab", "xab\0", "xab\0\0"]).Reverse().ToArray();
        var expected = (string[])ids.Clone();
        Array.Sort(expected, StringComparer.Ordinal);
        OrdinalSort.Sort(ids, new int[ids.Length]);
        Assert.Equal(expected, ids);
    }
}
