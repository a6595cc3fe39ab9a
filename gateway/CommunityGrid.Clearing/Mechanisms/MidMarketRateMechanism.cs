using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>Long et al. 2017 (IEEE PES GM, doi:10.1109/PESGM.2017.8274546): p_int = (λ_b + λ_s) / 2 in every interval.</summary>
public sealed class MidMarketRateMechanism : PoolMechanism
{
    public override Ratio InternalPrice(long supply, long demand, long retailPrice, long feedInPrice) =>
        new((System.Numerics.BigInteger)retailPrice + feedInPrice, 2);
}
