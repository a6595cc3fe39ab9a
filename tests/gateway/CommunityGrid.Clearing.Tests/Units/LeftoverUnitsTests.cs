using System;
using System.Linq;
using CommunityGrid.Clearing.Allocation;
using CommunityGrid.Clearing.Tests.Reference;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Units;

/// <summary>The selection-based leftover distribution against the sort it replaces, and Split against the reference.</summary>
public class LeftoverUnitsTests
{
    [Fact]
    public void Leftover_units_go_where_a_sort_by_remainder_then_index_sends_them() =>
        Gen.OneOf(Gen.ULong[0, 3], Gen.ULong[0, 1000], Gen.ULong).Array[0, 200]
            .SelectMany(remainders => Gen.Int[0, remainders.Count(r => r != 0)].Select(leftover => (remainders, leftover)))
            .Sample(t =>
            {
                var (remainders, leftover) = t;
                var expected = new long[remainders.Length];
                var order = Enumerable.Range(0, remainders.Length)
                    .OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(leftover);
                foreach (var i in order)
                {
                    expected[i]++;
                }

                var actual = new long[remainders.Length];
                LeftoverUnits.Award<ulong>(actual, remainders, leftover);
                Assert.Equal(expected, actual);

                var wide = remainders.Select(r => (UInt128)r << 60).ToArray();
                var actualWide = new long[remainders.Length];
                LeftoverUnits.Award<UInt128>(actualWide, wide, leftover);
                Assert.Equal(expected, actualWide);
            }, iter: 5_000);

    [Fact]
    public void Selection_stays_correct_on_sorted_reversed_and_constant_inputs()
    {
        var count = 50_000;
        foreach (var values in new[]
        {
            Enumerable.Range(0, count).Select(i => (ulong)i).ToArray(),
            Enumerable.Range(0, count).Select(i => (ulong)(count - i)).ToArray(),
            Enumerable.Repeat(7UL, count).ToArray(),
            Enumerable.Range(0, count).Select(i => (ulong)(i % 2)).ToArray(),
        })
        {
            var descending = values.OrderByDescending(v => v).ToArray();
            foreach (var k in new[] { 1, 2, count / 3, count / 2, count - 1, count })
            {
                Assert.Equal(descending[k - 1], LeftoverUnits.KthLargest<ulong>(values, k));
            }
        }
    }

    [Fact]
    public void Split_matches_the_reference_for_any_weights_and_totals() =>
        Gen.Select(
                Gen.OneOf(Gen.Long[0, 1000], Gen.Long, Gen.Const(long.MaxValue), Gen.Const(0L)),
                Gen.OneOf(Gen.Long[0, 10], Gen.Long[-3, 1000], Gen.Long[0, long.MaxValue], Gen.Const(long.MaxValue)).Array[0, 30])
            .Sample((total, weights) =>
            {
                long[]? expected = null;
                Type? expectedError = null;
                try
                {
                    expected = ReferenceLargestRemainder.Split(total, weights);
                }
                catch (ArgumentException error)
                {
                    expectedError = error.GetType();
                }

                if (expectedError is null)
                {
                    Assert.Equal(expected, LargestRemainder.Split(total, weights));
                }
                else
                {
                    Assert.Throws(expectedError, () => LargestRemainder.Split(total, weights));
                }
            }, iter: 20_000);
}
