using CommunityGrid.Chain.Genesis;
using System.Linq;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Tests.Intervals;

public sealed class GridOnlySettlementTests
{
    private static readonly ChainParameters Prices = new("EUR", 2, 900, 60, 60, 86400, 300, 80, "grid-only", 250, GenesisDocument.DefaultMaxConnectionPowerW);

    private static SettlementResult Settle(ChainParameters p, params HouseEnergy[] houses) =>
        new GridOnlySettlement().Settle(new SettlementInput(0, 900, p, houses));

    [Fact]
    public void Worked_example_rounds_community_totals_down_and_splits_by_largest_remainder()
    {
        SettlementResult r = Settle(Prices, new("h1", 1234, 0), new("h2", 0, 3000), new("h3", 10, 7));

        // 1244 Wh × 300 / 1000 = 373.2 → 373; 3007 Wh × 80 / 1000 = 240.56 → 240; fund 250‰ of 240 = 60.
        Assert.Equal((1244L, 3007L, 373L, 240L, 60L), (r.GridImportWh, r.GridExportWh, r.GridCost, r.GridRevenue, r.FundIncome));
        // Costs: 370.0016 / 2.998 → floors 370 + 2, the spare unit to h3's larger remainder.
        Assert.Equal([370L, 0L, 3L], r.Houses.Select(h => h.Cost));
        // Revenue 180 to share: 179.58 / 0.419 → 179 + 0, the spare unit to h2.
        Assert.Equal([0L, 180L, 0L], r.Houses.Select(h => h.Revenue));
        Assert.Equal([-370L, 180L, -3L], r.Houses.Select(h => h.Net));
    }

    [Fact]
    public void Money_is_conserved_to_the_minor_unit_for_many_random_intervals()
    {
        var random = new System.Random(4);
        for (int run = 0; run < 2000; run++)
        {
            var p = Prices with { RetailPrice = random.Next(0, 1000), FeedInPrice = random.Next(0, 500), FundSharePermille = random.Next(0, 1001) };
            HouseEnergy[] houses = Enumerable.Range(0, random.Next(0, 30))
                .Select(i => new HouseEnergy($"h{i:D2}", random.Next(0, 5000), random.Next(0, 5000))).ToArray();
            SettlementResult r = Settle(p, houses);
            Assert.Equal(r.GridCost, r.Houses.Sum(h => h.Cost));
            Assert.Equal(r.GridRevenue, r.Houses.Sum(h => h.Revenue) + r.FundIncome);
            Assert.Equal(r.GridRevenue - r.GridCost, r.Houses.Sum(h => h.Net) + r.FundIncome);
            Assert.All(r.Houses, h => Assert.True(h.Cost <= h.ImportWh * p.RetailPrice / 1000 + 1));
        }
    }

    [Fact]
    public void An_empty_interval_settles_to_zero()
    {
        SettlementResult r = Settle(Prices);
        Assert.Empty(r.Houses);
        Assert.Equal(0, r.GridCost + r.GridRevenue + r.FundIncome);
    }
}
