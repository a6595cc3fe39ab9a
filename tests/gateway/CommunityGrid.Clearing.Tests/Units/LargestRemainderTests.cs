using System;
using System.Numerics;
using CommunityGrid.Clearing.Allocation;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Units;

public class LargestRemainderTests
{
    [Fact]
    public void Leftover_units_go_to_the_largest_remainders_then_the_lower_index()
    {
        // 10 over weights 1,1,1: 3.33 each, one leftover unit to index 0.
        Assert.Equal([4L, 3L, 3L], LargestRemainder.Split(10, [1, 1, 1]));
        // 7 over 1,2,2 (1.4, 2.8, 2.8): floors 1,2,2, two leftovers to the .8s.
        Assert.Equal([1L, 3L, 3L], LargestRemainder.Split(7, [1, 2, 2]));
        // No overflow at the edge of long: the products are computed in big integers.
        Assert.Equal([long.MaxValue / 2 + 1, long.MaxValue / 2], LargestRemainder.Split(long.MaxValue, [1, 1]));
    }

    [Fact]
    public void Zero_weights_take_nothing_and_empty_splits_are_empty()
    {
        Assert.Equal([0L, 5L], LargestRemainder.Split(5, [0, 3]));
        Assert.Empty(LargestRemainder.Split(0, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => LargestRemainder.Split(1, [0, 0]));
    }

    [Fact]
    public void A_total_outside_floor_and_ceiling_sums_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LargestRemainder.Round(3, [new BigInteger(3), new BigInteger(3)], 4));
        Assert.Equal([1L, 1L], LargestRemainder.Round(2, [new BigInteger(3), new BigInteger(3)], 4));
    }

    [Fact]
    public void Split_conserves_the_total_and_stays_within_one_unit_of_the_exact_share()
    {
        Gen.Select(Gen.Long[0, 1_000_000], Gen.Long[0, 10_000].Array[1, 30])
            .Where(t => Array.Exists(t.Item2, w => w > 0))
            .Sample((total, weights) =>
            {
                var shares = LargestRemainder.Split(total, weights);
                long weightSum = 0;
                long shareSum = 0;
                for (var i = 0; i < weights.Length; i++)
                {
                    weightSum += weights[i];
                    shareSum += shares[i];
                }

                Assert.Equal(total, shareSum);
                for (var i = 0; i < weights.Length; i++)
                {
                    var exact = (BigInteger)total * weights[i];
                    var scaled = (BigInteger)shares[i] * weightSum;
                    Assert.True(BigInteger.Abs(scaled - exact) < weightSum);
                }
            }, iter: 2000);
    }
}
