using System.Collections.Generic;

namespace CommunityGrid.Clearing.Model;

/// <summary>Everything one interval's clearing depends on; the engine reads nothing else (no clock, no state).</summary>
/// <param name="Mechanism">The community's pricing rule.</param>
/// <param name="RetailPrice">Grid import price λ_b, minor units per kWh.</param>
/// <param name="FeedInPrice">Grid export price λ_s, minor units per kWh, ≤ <paramref name="RetailPrice"/>.</param>
/// <param name="FundSharePermille">Share of grid export proceeds that goes to the community fund, 0‥1000.</param>
/// <param name="Houses">Positions in any order; ids must be unique. The result is independent of this order.</param>
public sealed record ClearingInput(
    ClearingMechanism Mechanism,
    long RetailPrice,
    long FeedInPrice,
    int FundSharePermille,
    IReadOnlyList<HousePosition> Houses)
{
    public const int DefaultFundSharePermille = 1000;
}
