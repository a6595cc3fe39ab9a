using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Units;

public class RatioTests
{
    [Theory]
    [InlineData(7, 2, 3, 4, 4)]
    [InlineData(-7, 2, -4, -3, -3)]
    [InlineData(5, 2, 2, 3, 3)]
    [InlineData(-5, 2, -3, -2, -2)]
    [InlineData(6, 3, 2, 2, 2)]
    [InlineData(1, -3, -1, 0, 0)]
    public void Floor_ceiling_and_half_up(long numerator, long denominator, long floor, long ceiling, long halfUp)
    {
        var ratio = new Ratio(numerator, denominator);
        Assert.Equal(new BigInteger(floor), ratio.Floor());
        Assert.Equal(new BigInteger(ceiling), ratio.Ceiling());
        Assert.Equal(new BigInteger(halfUp), ratio.RoundHalfUp());
    }

    [Fact]
    public void Equal_values_are_stored_identically()
    {
        Assert.Equal(new Ratio(2, 4), new Ratio(-3, -6));
        Assert.Equal("1/2", new Ratio(50, 100).ToString());
        Assert.Equal("0", default(Ratio).ToString());
        Assert.True(new Ratio(1, 3) < new Ratio(1, 2));
    }
}
