namespace CommunityGrid.Clearing.Model;

/// <summary>The pricing rule a community votes on; see docs/clearing.md for each formula.</summary>
public enum ClearingMechanism
{
    /// <summary>Supply–demand ratio pricing (Liu et al. 2017).</summary>
    SupplyDemandRatio,

    /// <summary>Mid-market rate (Long et al. 2017).</summary>
    MidMarketRate,

    /// <summary>Bill sharing, per interval (Long et al. 2017).</summary>
    BillSharing,

    /// <summary>Uniform-price double auction on members' limit prices, the grid as backstop.</summary>
    DoubleAuction,
}
