using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Mechanisms;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.WorkedExamples;

/// <summary>The SDR formula's published shape and the independent check value from notes/clearing.md.</summary>
public class SdrPaperCheckValues
{
    [Fact]
    public void Check_value_lambda_b_35_lambda_s_25_sdr_1400_over_1500_gives_25_485()
    {
        // P_s = λb·λs / ((λb − λs)·SDR + λs) = 35·25 / (10·14/15 + 25) = 875 / (103/3) = 2625/103 = 25.4854…
        var price = PoolMechanism.SupplyDemandRatioPrice(supply: 1400, demand: 1500, retailPrice: 35, feedInPrice: 25);
        Assert.Equal(new Ratio(2625, 103), price);
        Assert.Equal(new BigInteger(25_485), new Ratio(price.Numerator * 1000, price.Denominator).Floor());
    }

    [Fact]
    public void Check_value_through_the_engine_is_the_average_selling_price()
    {
        var input = new ClearingInput(ClearingMechanism.SupplyDemandRatio, 35, 25, 1000,
            [new HousePosition("b1", 0, 1000), new HousePosition("b2", 0, 500), new HousePosition("s1", 1400, 0)]);
        var result = ClearingEngine.Clear(input);
        Assert.Equal(new Ratio(2625, 103), result.AverageSellPrice);

        // P_b = P_s·SDR + λb·(1 − SDR) = 2625/103 · 14/15 + 35 · 1/15 = (2625·14 + 35·103) / (103·15).
        Assert.Equal(new Ratio(2625 * 14 + 35 * 103, 103 * 15), result.AverageBuyPrice);
    }

    [Theory]
    [InlineData(0, 1500, 35)] // SDR = 0: retail
    [InlineData(1500, 1500, 25)] // SDR = 1: feed-in
    [InlineData(3000, 1500, 25)] // SDR > 1: feed-in
    [InlineData(0, 0, 25)] // nobody short: feed-in, no division by zero
    public void Formula_limits(long supply, long demand, long expected)
    {
        Assert.Equal(Ratio.FromInteger(expected), PoolMechanism.SupplyDemandRatioPrice(supply, demand, 35, 25));
    }

    [Fact]
    public void Zero_feed_in_price_never_divides_by_zero()
    {
        Assert.Equal(Ratio.FromInteger(300), PoolMechanism.SupplyDemandRatioPrice(0, 100, 300, 0));
        Assert.Equal(Ratio.Zero, PoolMechanism.SupplyDemandRatioPrice(50, 100, 300, 0));
        Assert.Equal(Ratio.Zero, PoolMechanism.SupplyDemandRatioPrice(50, 100, 0, 0));
    }

    [Fact]
    public void Price_is_harmonic_not_linear_in_sdr()
    {
        // At SDR = 1/2 linear interpolation would give 30; the harmonic one gives 35·25/(5 + 25) = 29.166…
        Assert.Equal(new Ratio(875, 30), PoolMechanism.SupplyDemandRatioPrice(750, 1500, 35, 25));
    }
}
