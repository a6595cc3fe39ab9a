using System.Linq;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests;

/// <summary>The two small communities the worked examples in docs/clearing.md use.</summary>
internal static class Communities
{
    public const long Retail = 300;
    public const long FeedIn = 80;

    /// <summary>G = 700 Wh (h1), D = 1200 Wh (h2 900, h3 300): SDR = 7/12, the community imports 500 Wh.</summary>
    public static ClearingInput Deficit(ClearingMechanism mechanism, int fundShare = 1000) => new(
        mechanism, Retail, FeedIn, fundShare,
        [
            new HousePosition("h1", 1200, 500, LimitPrice: 100),
            new HousePosition("h2", 0, 900, LimitPrice: 250),
            new HousePosition("h3", 200, 500, LimitPrice: 90),
        ]);

    /// <summary>G = 2000 Wh (h1 1500, h2 500), D = 1200 Wh (h3): the community exports 800 Wh; fund share 50 %.</summary>
    public static ClearingInput Surplus(ClearingMechanism mechanism, int fundShare = 500) => new(
        mechanism, Retail, FeedIn, fundShare,
        [
            new HousePosition("h1", 2000, 500, LimitPrice: 120),
            new HousePosition("h2", 800, 300),
            new HousePosition("h3", 0, 1200, LimitPrice: 200),
        ]);

    public static HouseSettlement House(this ClearingResult result, string id) => result.Houses.Single(h => h.Id == id);
}
