using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.WorkedExamples;

/// <summary>Uniform-price double auction (rule in docs/clearing.md), computed by hand.</summary>
public class DoubleAuctionExamples
{
    [Fact]
    public void Deficit_low_bid_stays_with_the_grid()
    {
        // Bids h2 250 (900 Wh), h3 90 (300 Wh); offer h1 100 (700 Wh).
        // h2 vs h1: 250 ≥ 100, 700 Wh matched, h1 exhausted. Marginal pair (250, 100): p = 175.
        var result = ClearingEngine.Clear(Communities.Deficit(ClearingMechanism.DoubleAuction));
        Assert.Equal(Ratio.FromInteger(175), result.InternalPrice);

        var h2 = result.House("h2");
        var h3 = result.House("h3");
        Assert.Equal((700L, 200L), (h2.ImportInternalWh, h2.ImportGridWh));
        Assert.Equal((0L, 300L), (h3.ImportInternalWh, h3.ImportGridWh));

        // h2: (175·700 + 300·200)/1000 = 182.5; h3: 300·300/1000 = 90. Total ⌈272.5⌉ = 273: h2 gets the unit.
        Assert.Equal(183, h2.Cost);
        Assert.Equal(90, h3.Cost);

        // h1: 175·700/1000 = 122.5 → ⌊122.5⌋ = 122. Fund: 273 − 122 − 150 = 1.
        Assert.Equal(122, result.House("h1").Revenue);
        Assert.Equal(new CommunitySettlement(700, 500, 0, 150, 0, 1), result.Community);

        // P_b = (175·700 + 300·500)/1200 = 227.08…; P_s = 175.
        Assert.Equal(new Ratio(272_500, 1200), result.AverageBuyPrice);
        Assert.Equal(Ratio.FromInteger(175), result.AverageSellPrice);
    }

    [Fact]
    public void Surplus_marginal_seller_is_filled_partially()
    {
        // Offers h2 none → price-taker at λs = 80 (500 Wh), h1 120 (1500 Wh); bid h3 200 (1200 Wh).
        // h3 vs h2: 500 Wh; h3 vs h1: 200 ≥ 120, 700 Wh, h3 exhausted. Marginal pair (200, 120): p = 160.
        var result = ClearingEngine.Clear(Communities.Surplus(ClearingMechanism.DoubleAuction));
        Assert.Equal(Ratio.FromInteger(160), result.InternalPrice);

        var h1 = result.House("h1");
        var h2 = result.House("h2");
        Assert.Equal((700L, 800L), (h1.ExportInternalWh, h1.ExportGridWh));
        Assert.Equal((500L, 0L), (h2.ExportInternalWh, h2.ExportGridWh));

        // h3: 160·1200/1000 = 192. h1: (160·700 + 80·800·0.5)/1000 = 144; h2: 160·500/1000 = 80.
        Assert.Equal(192, result.House("h3").Cost);
        Assert.Equal(144, h1.Revenue);
        Assert.Equal(80, h2.Revenue);

        // Fund: 192 + 64 − 224 = 32, all of it from h1, the only exporter.
        Assert.Equal(new CommunitySettlement(1200, 0, 800, 0, 64, 32), result.Community);
        Assert.Equal(Ratio.FromInteger(160), result.AverageBuyPrice);
        Assert.Equal(Ratio.FromInteger(128), result.AverageSellPrice);
    }

    [Fact]
    public void Price_takers_on_both_sides_clear_at_the_mid_market_rate()
    {
        var input = new ClearingInput(ClearingMechanism.DoubleAuction, 300, 80, 1000,
            [new HousePosition("a", 500, 0), new HousePosition("b", 0, 800)]);
        var result = ClearingEngine.Clear(input);
        Assert.Equal(Ratio.FromInteger(190), result.InternalPrice);
        Assert.Equal(500, result.Community.InternalWh);
    }

    [Fact]
    public void Unmatched_buyer_and_seller_net_out_at_the_connection_and_the_fund_keeps_the_spread()
    {
        // Bid 100 < offer 200: nothing matches. The buyer pays retail for 1000 Wh (300), the seller
        // gets feed-in for 1000 Wh less the fund's 100 % share (0). Physically nothing crosses the
        // connection, so the grid is paid nothing and the fund keeps 300.
        var input = new ClearingInput(ClearingMechanism.DoubleAuction, 300, 80, 1000,
            [new HousePosition("buyer", 0, 1000, 100), new HousePosition("seller", 1000, 0, 200)]);
        var result = ClearingEngine.Clear(input);
        Assert.Null(result.InternalPrice);
        Assert.Equal(300, result.House("buyer").Cost);
        Assert.Equal(0, result.House("seller").Revenue);
        Assert.Equal(new CommunitySettlement(0, 0, 0, 0, 0, 300), result.Community);
    }

    [Fact]
    public void Houses_tied_at_the_marginal_bid_share_pro_rata()
    {
        // Two bids of 200 for 600 and 300 Wh, one offer of 450 Wh at 100: the tie group shares 450
        // pro rata, 300 and 150, whatever order the walk met them in.
        var input = new ClearingInput(ClearingMechanism.DoubleAuction, 300, 80, 1000,
        [
            new HousePosition("x", 0, 300, 200),
            new HousePosition("w", 0, 600, 200),
            new HousePosition("s", 450, 0, 100),
        ]);
        var result = ClearingEngine.Clear(input);
        Assert.Equal(300, result.House("w").ImportInternalWh);
        Assert.Equal(150, result.House("x").ImportInternalWh);
        Assert.Equal(Ratio.FromInteger(150), result.InternalPrice);
    }
}
