using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.WorkedExamples;

/// <summary>Liu et al. 2017, computed by hand; the same numbers are in docs/clearing.md.</summary>
public class SupplyDemandRatioExamples
{
    [Fact]
    public void Deficit_uses_the_harmonic_price()
    {
        // p = λb·λs·D / ((λb − λs)·G + λs·D) = 300·80·1200 / (220·700 + 80·1200) = 28 800 000 / 250 000 = 115.2
        var result = ClearingEngine.Clear(Communities.Deficit(ClearingMechanism.SupplyDemandRatio));
        Assert.Equal(new Ratio(1152, 10), result.InternalPrice);

        // Q = 700 shared pro rata to demand: h2 700·900/1200 = 525, h3 700·300/1200 = 175.
        var h2 = result.House("h2");
        var h3 = result.House("h3");
        Assert.Equal((525L, 375L), (h2.ImportInternalWh, h2.ImportGridWh));
        Assert.Equal((175L, 125L), (h3.ImportInternalWh, h3.ImportGridWh));

        // h2 owes (115.2·525 + 300·375)/1000 = 172.98, h3 (115.2·175 + 300·125)/1000 = 57.66.
        // Buyers' total ⌈230.64⌉ = 231 = 172 + 57 + 2 leftover units, one to each remainder.
        Assert.Equal(173, h2.Cost);
        Assert.Equal(58, h3.Cost);

        // h1 earns 115.2·700/1000 = 80.64; sellers' total ⌊80.64⌋ = 80.
        var h1 = result.House("h1");
        Assert.Equal((700L, 0L, 80L), (h1.ExportInternalWh, h1.ExportGridWh, h1.Revenue));

        // Grid: ⌈300·500/1000⌉ = 150. Fund: 231 + 0 − 80 − 150 = 1 (rounding only; nothing exported).
        Assert.Equal(new CommunitySettlement(700, 500, 0, 150, 0, 1), result.Community);

        // P_b = (115.2·700 + 300·500)/1200 = 192.2 = P_s·SDR + λb·(1 − SDR); P_s = p = 115.2.
        Assert.Equal(new Ratio(1922, 10), result.AverageBuyPrice);
        Assert.Equal(new Ratio(1152, 10), result.AverageSellPrice);
    }

    [Fact]
    public void Surplus_pays_feed_in_and_the_fund_takes_its_share()
    {
        // G ≥ D: p = λs = 80. Q = 1200 pro rata to surplus: h1 900, h2 300; exports 600 and 200.
        var result = ClearingEngine.Clear(Communities.Surplus(ClearingMechanism.SupplyDemandRatio));
        Assert.Equal(Ratio.FromInteger(80), result.InternalPrice);

        // h3 pays 80·1200/1000 = 96.
        Assert.Equal(96, result.House("h3").Cost);

        // h1: (80·900 + 80·600·(1 − 0.5))/1000 = 96; h2: (80·300 + 80·200·0.5)/1000 = 32.
        var h1 = result.House("h1");
        var h2 = result.House("h2");
        Assert.Equal((900L, 600L, 96L), (h1.ExportInternalWh, h1.ExportGridWh, h1.Revenue));
        Assert.Equal((300L, 200L, 32L), (h2.ExportInternalWh, h2.ExportGridWh, h2.Revenue));

        // Grid pays ⌊80·800/1000⌋ = 64; the fund keeps half: 96 + 64 − 128 = 32.
        Assert.Equal(new CommunitySettlement(1200, 0, 800, 0, 64, 32), result.Community);
        Assert.Equal(Ratio.FromInteger(80), result.AverageBuyPrice);
        Assert.Equal(Ratio.FromInteger(80), result.AverageSellPrice);
    }
}
