using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// Liu et al. 2017 (IEEE TPWRS 32(5), doi:10.1109/TPWRS.2017.2649558). With SDR = G/D ≤ 1 the internal
/// price is the harmonic interpolation λ_b·λ_s / ((λ_b − λ_s)·SDR + λ_s), i.e.
/// λ_b·λ_s·D / ((λ_b − λ_s)·G + λ_s·D): λ_b at SDR = 0, λ_s at SDR = 1. With SDR &gt; 1 it is λ_s.
/// </summary>
public sealed class ReferenceSupplyDemandRatioMechanism : ReferencePoolMechanism
{
    public override Ratio InternalPrice(long supply, long demand, long retailPrice, long feedInPrice)
    {
        if (supply >= demand)
        {
            return Ratio.FromInteger(feedInPrice);
        }

        // No supply, or equal tariffs: the formula's limits, taken directly so a zero feed-in price
        // never produces 0/0.
        if (supply == 0 || retailPrice == feedInPrice)
        {
            return Ratio.FromInteger(retailPrice);
        }

        var numerator = (BigInteger)retailPrice * feedInPrice * demand;
        var denominator = (BigInteger)(retailPrice - feedInPrice) * supply + (BigInteger)feedInPrice * demand;
        return new Ratio(numerator, denominator);
    }
}
