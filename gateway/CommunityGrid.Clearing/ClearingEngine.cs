using System;
using CommunityGrid.Clearing.Mechanisms;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Settlement;

namespace CommunityGrid.Clearing;

/// <summary>
/// Clears one settlement interval. A pure function of its input: integer and exact-rational arithmetic
/// only, no clock, no randomness, no dependence on the order of <see cref="ClearingInput.Houses"/>, so
/// every gateway that replays the same readings settles identically.
/// </summary>
public static class ClearingEngine
{
    /// <exception cref="ClearingInputException">The input breaks a rule in <see cref="InputValidator"/>.</exception>
    public static ClearingResult Clear(ClearingInput input)
    {
        InputValidator.Validate(input);
        var book = OrderBook.From(input);
        var match = MechanismFor(input.Mechanism).Match(book);
        return Settler.Settle(input, book, match);
    }

    public static IMechanism MechanismFor(ClearingMechanism mechanism) => mechanism switch
    {
        ClearingMechanism.SupplyDemandRatio => new SupplyDemandRatioMechanism(),
        ClearingMechanism.MidMarketRate => new MidMarketRateMechanism(),
        ClearingMechanism.BillSharing => new BillSharingMechanism(),
        ClearingMechanism.DoubleAuction => new DoubleAuctionMechanism(),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Unknown clearing mechanism."),
    };
}
