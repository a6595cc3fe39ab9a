using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// Long et al. 2017, applied per interval: internal energy is free (p_int = 0). In a deficit the buyers
/// share the grid import bill pro rata (P_b = λ_b·(D − Q)/D) and sellers receive nothing; in a surplus the
/// sellers share the export revenue (P_s = λ_s·(G − Q)/G) and buyers pay nothing. This deliberately
/// leaves [λ_s, λ_b] and can leave sellers below feed-in; see docs/clearing.md.
/// </summary>
public sealed class ReferenceBillSharingMechanism : ReferencePoolMechanism
{
    public override Ratio InternalPrice(long supply, long demand, long retailPrice, long feedInPrice) => Ratio.Zero;
}
