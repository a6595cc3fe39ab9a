using System;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.Reference;

/// <summary>
/// REFERENCE ORACLE, not production code: the clearing engine exactly as it was before the rewrite for issue 18
/// (LINQ, comparison delegates, BigInteger throughout), kept verbatim apart from the type names so the
/// differential tests (<c>Differential/EngineMatchesReference</c>) and the clearing benchmark can compare the
/// production engine with it bit for bit. Do not optimise or "fix" it: a change here changes the oracle.
/// Input validation is not part of the oracle (the production <see cref="InputValidator"/> does it); callers
/// pass inputs that already passed it, or, in the benchmark, communities larger than the limit.
/// </summary>
public static class ReferenceClearingEngine
{
    public static ClearingResult Clear(ClearingInput input)
    {
        var book = ReferenceOrderBook.From(input);
        var match = MechanismFor(input.Mechanism).Match(book);
        return ReferenceSettler.Settle(input, book, match);
    }

    public static IReferenceMechanism MechanismFor(ClearingMechanism mechanism) => mechanism switch
    {
        ClearingMechanism.SupplyDemandRatio => new ReferenceSupplyDemandRatioMechanism(),
        ClearingMechanism.MidMarketRate => new ReferenceMidMarketRateMechanism(),
        ClearingMechanism.BillSharing => new ReferenceBillSharingMechanism(),
        ClearingMechanism.DoubleAuction => new ReferenceDoubleAuctionMechanism(),
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Unknown clearing mechanism."),
    };
}
