using CommunityGrid.Api.Json;
using CommunityGrid.Api.Statements;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests.Statements;

/// <summary>The statement's and the community totals' arithmetic on hand-made settlement results.</summary>
public sealed class StatementArithmeticTests
{
    // One SDR interval: h1 imports 120 and exports 40 (net buyer of 80, 60 of it from h2), h2 net seller of 100 (60 inside, 40 to the grid).
    private static readonly StoredSettlement Sdr = new(new SettlementResult(1_800_000_000, 900, "sdr",
        [
            new HouseSettlement("h1", 120, 40, 60, 0, 20, 0, -20),
            new HouseSettlement("h2", 0, 100, 0, 60, 0, 15, 15),
        ], GridImportWh: 20, GridExportWh: 40, GridCost: 6, GridRevenue: 3, FundIncome: 1, InternalWh: 60, InternalPriceMicros: 150_000_000), 7);

    [Fact]
    public void Under_a_clearing_mechanism_the_grid_share_is_the_net_position_not_traded_inside()
    {
        StatementResponse s = HouseStatement.Build("h1", 1_800_000_000, 1_800_000_900, 60, "EUR", 2, 300, 80, [Sdr], 7);
        StatementLineJson l = s.Total;
        Assert.Equal((60L, 20L, 0L), (l.ImportInternalWh, l.ImportGridWh, l.ExportGridWh));
        // Grid alone: 120 Wh at 3.00/kWh = 36, 40 Wh at 0.80/kWh = 3.2 -> 3: 33; paid 20, saved 13.
        Assert.Equal((33L, 13L), (l.GridAlone, l.Saving));
        Assert.Equal("2027-01-15", Assert.Single(s.Days).Date);

        StatementLineJson seller = HouseStatement.Build("h2", 1_800_000_000, 1_800_000_900, 0, "EUR", 2, 300, 80, [Sdr], 7).Total;
        Assert.Equal((60L, 40L, 0L), (seller.ExportInternalWh, seller.ExportGridWh, seller.ImportGridWh));
    }

    [Fact]
    public void Community_self_sufficiency_and_self_consumption_come_from_internal_and_grid_energy()
    {
        CommunityLineJson t = CommunityTotals.Build(1_800_000_000, 1_800_000_900, 0, "EUR", 2, 300, 80, [Sdr], 7).Total;
        Assert.Equal(750, t.SelfSufficiencyPermille);   // 60 / (60 + 20)
        Assert.Equal(600, t.SelfConsumptionPermille);   // 60 / (60 + 40)
        Assert.Equal(20 - 15, t.HousesPaid);
        // Grid alone: h1 33 (above), h2 -(100 Wh at 0.80/kWh) = -8; the houses paid 5, so they saved 20.
        Assert.Equal((25L, 20L), (t.GridAlone, t.Saving));
    }

    [Fact]
    public void Tariff_lines_round_half_up_exactly()
    {
        Assert.Equal(3, HouseStatement.TariffLine(40, 80));    // 3.2
        Assert.Equal(4, HouseStatement.TariffLine(50, 70));    // 3.5
        Assert.Equal(0, HouseStatement.TariffLine(0, 300));
        Assert.Equal(9_223_372_036_854_776L, HouseStatement.TariffLine(long.MaxValue, 1)); // .807 rounds up, without overflow
    }
}
