using System;
using System.Linq;
using CommunityGrid.Clearing.Sorting;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Units;

public class RadixSortTests
{
    [Fact]
    public void Sorts_keys_ascending_and_keeps_equal_keys_in_input_order() =>
        Gen.OneOf(Gen.ULong[0, 3], Gen.ULong[0, 1_000_000], Gen.ULong, Gen.ULong.Select(k => k | 0xff00_0000_0000_0000)).Array[0, 2_000]
            .Sample(keys =>
            {
                var expected = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).ThenBy(i => i).ToArray();
                var sorted = (ulong[])keys.Clone();
                var order = Enumerable.Range(0, keys.Length).ToArray();
                RadixSort.Sort(sorted, order);
                Assert.Equal(expected, order);
                Assert.Equal(expected.Select(i => keys[i]), sorted);
            }, iter: 1_000);
}
