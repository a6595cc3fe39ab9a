using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.WorkedExamples;

/// <summary>Long et al. 2017: p = (λb + λs)/2 = 190, computed by hand; numbers as in docs/clearing.md.</summary>
public class MidMarketRateExamples
{
    [Fact]
    public void Deficit()
    {
        var result = ClearingEngine.Clear(Communities.Deficit(ClearingMechanism.MidMarketRate));
        Assert.Equal(Ratio.FromInteger(190), result.InternalPrice);

        // h2: (190·525 + 300·375)/1000 = 212.25; h3: (190·175 + 300·125)/1000 = 70.75.
        // Total 283 = 212 + 70 + 1; the leftover unit goes to the larger remainder (h3, .75).
        Assert.Equal(212, result.House("h2").Cost);
        Assert.Equal(71, result.House("h3").Cost);

        // h1: 190·700/1000 = 133.
        Assert.Equal(133, result.House("h1").Revenue);
        Assert.Equal(new CommunitySettlement(700, 500, 0, 150, 0, 0), result.Community);

        // P_b = (190·700 + 300·500)/1200 = 283 000/1200 = 235.83…
        Assert.Equal(new Ratio(283_000, 1200), result.AverageBuyPrice);
        Assert.Equal(Ratio.FromInteger(190), result.AverageSellPrice);
    }

    [Fact]
    public void Surplus()
    {
        var result = ClearingEngine.Clear(Communities.Surplus(ClearingMechanism.MidMarketRate));

        // h3: 190·1200/1000 = 228.
        Assert.Equal(228, result.House("h3").Cost);

        // h1: (190·900 + 80·600·0.5)/1000 = 195; h2: (190·300 + 80·200·0.5)/1000 = 65.
        Assert.Equal(195, result.House("h1").Revenue);
        Assert.Equal(65, result.House("h2").Revenue);

        // Fund: 228 + 64 − 260 = 32.
        Assert.Equal(new CommunitySettlement(1200, 0, 800, 0, 64, 32), result.Community);

        // P_s = (190·1200 + 80·800)/2000 = 146.
        Assert.Equal(Ratio.FromInteger(190), result.AverageBuyPrice);
        Assert.Equal(Ratio.FromInteger(146), result.AverageSellPrice);
    }
}
