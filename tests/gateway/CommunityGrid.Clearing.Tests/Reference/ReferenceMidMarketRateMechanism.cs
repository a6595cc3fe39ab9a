using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>Long et al. 2017 (IEEE PES GM, doi:10.1109/PESGM.2017.8274546): p_int = (λ_b + λ_s) / 2 in every interval.</summary>
public sealed class ReferenceMidMarketRateMechanism : ReferencePoolMechanism
{
    public override Ratio InternalPrice(long supply, long demand, long retailPrice, long feedInPrice) =>
        new((System.Numerics.BigInteger)retailPrice + feedInPrice, 2);
}
