using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.WorkedExamples;

/// <summary>Long et al. 2017, per interval: internal energy is free; one side shares the grid bill or credit.</summary>
public class BillSharingExamples
{
    [Fact]
    public void Deficit_buyers_share_the_import_bill_and_sellers_get_nothing()
    {
        var result = ClearingEngine.Clear(Communities.Deficit(ClearingMechanism.BillSharing));
        Assert.Equal(Ratio.Zero, result.InternalPrice);

        // h2: 300·375/1000 = 112.5; h3: 300·125/1000 = 37.5. Total 150 = 112 + 37 + 1; equal remainders,
        // so the unit goes to the lower id, h2.
        Assert.Equal(113, result.House("h2").Cost);
        Assert.Equal(37, result.House("h3").Cost);

        // The seller receives 0 for 700 Wh: below feed-in (56), by construction of BS.
        Assert.Equal(0, result.House("h1").Revenue);
        Assert.Equal(new CommunitySettlement(700, 500, 0, 150, 0, 0), result.Community);

        // P_b = λb·(D − Q)/D = 300·500/1200 = 125; P_s = 0.
        Assert.Equal(Ratio.FromInteger(125), result.AverageBuyPrice);
        Assert.Equal(Ratio.Zero, result.AverageSellPrice);
    }

    [Fact]
    public void Surplus_sellers_share_the_export_revenue_and_buyers_pay_nothing()
    {
        var result = ClearingEngine.Clear(Communities.Surplus(ClearingMechanism.BillSharing));
        Assert.Equal(0, result.House("h3").Cost);

        // Export revenue 80·800/1000 = 64, half to the fund: h1 80·600·0.5/1000 = 24, h2 80·200·0.5/1000 = 8.
        Assert.Equal(24, result.House("h1").Revenue);
        Assert.Equal(8, result.House("h2").Revenue);
        Assert.Equal(new CommunitySettlement(1200, 0, 800, 0, 64, 32), result.Community);

        // P_b = 0; P_s = λs·(G − Q)/G = 80·800/2000 = 32.
        Assert.Equal(Ratio.Zero, result.AverageBuyPrice);
        Assert.Equal(Ratio.FromInteger(32), result.AverageSellPrice);
    }
}
