using System.Linq;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.Units;

public class ValidationTests
{
    private static ClearingInput Valid => Communities.Deficit(ClearingMechanism.SupplyDemandRatio);

    [Theory]
    [InlineData("houses[1].importWh", -1L)]
    [InlineData("houses[1].importWh", ClearingLimits.MaxEnergyWh + 1)]
    public void Energy_outside_the_limits_names_the_field(string field, long importWh)
    {
        var houses = Valid.Houses.ToArray();
        houses[1] = houses[1] with { ImportWh = importWh };
        var error = Assert.Throws<ClearingInputException>(() => ClearingEngine.Clear(Valid with { Houses = houses }));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Duplicate_ids_are_refused()
    {
        var houses = Valid.Houses.ToArray();
        houses[2] = houses[2] with { Id = "h1" };
        var error = Assert.Throws<ClearingInputException>(() => ClearingEngine.Clear(Valid with { Houses = houses }));
        Assert.Equal("houses[2].id", error.Field);
    }

    [Fact]
    public void Tariffs_and_fund_share_are_checked()
    {
        Assert.Equal("feedInPrice", Assert.Throws<ClearingInputException>(
            () => ClearingEngine.Clear(Valid with { FeedInPrice = 301 })).Field);
        Assert.Equal("retailPrice", Assert.Throws<ClearingInputException>(
            () => ClearingEngine.Clear(Valid with { RetailPrice = ClearingLimits.MaxPrice + 1 })).Field);
        Assert.Equal("fundShare", Assert.Throws<ClearingInputException>(
            () => ClearingEngine.Clear(Valid with { FundSharePermille = 1001 })).Field);
        Assert.Equal("mechanism", Assert.Throws<ClearingInputException>(
            () => ClearingEngine.Clear(Valid with { Mechanism = (ClearingMechanism)42 })).Field);
        Assert.Equal("houses[0].limitPrice", Assert.Throws<ClearingInputException>(
            () => ClearingEngine.Clear(Valid with { Houses = [new HousePosition("a", 1, 0, -5)] })).Field);
    }

    [Fact]
    public void The_largest_community_at_every_limit_settles_without_overflow()
    {
        // 10^5 houses × 10^10 Wh at 10^6 per kWh: 10^18 minor units on the buyers' side, inside a long.
        var houses = Enumerable.Range(0, ClearingLimits.MaxHouses)
            .Select(i => i % 2 == 0
                ? new HousePosition($"h{i:D6}", ClearingLimits.MaxEnergyWh, 0)
                : new HousePosition($"h{i:D6}", 0, ClearingLimits.MaxEnergyWh - (i % 7)))
            .ToList();
        var input = new ClearingInput(
            ClearingMechanism.SupplyDemandRatio, ClearingLimits.MaxPrice, ClearingLimits.MaxPrice - 1, 0, houses);
        var result = ClearingEngine.Clear(input);
        var paid = result.Houses.Sum(h => (decimal)h.Cost);
        var received = result.Houses.Sum(h => (decimal)h.Revenue);
        Assert.Equal(paid + result.Community.GridRevenue, received + result.Community.GridCost + result.Community.FundIncome);
    }
}
