using System;
using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Sorting;

namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>
/// SDR, MMR and bill sharing are one pool (Zhou et al. 2018): Q = min(G, D) is traded internally at one price,
/// shared pro rata — buyer i takes Q·d_i/D, seller j delivers Q·s_j/G — rounded to whole Wh by largest
/// remainder. The mechanisms differ only in the price (docs/clearing.md, "SDR, MMR, BS: one pool").
/// </summary>
internal static class PoolMechanism
{
    public static InternalMatch Match(ClearingMechanism mechanism, HouseBook book, long retailPrice, long feedInPrice)
    {
        var internalWh = Math.Min(book.Supply, book.Demand);
        var buyers = new long[book.BuyerVolumeWh.Length];
        var sellers = new long[book.SellerVolumeWh.Length];
        ProRata.Split(internalWh, book.BuyerVolumeWh, buyers);
        ProRata.Split(internalWh, book.SellerVolumeWh, sellers);
        var price = mechanism switch
        {
            ClearingMechanism.SupplyDemandRatio => SupplyDemandRatioPrice(book.Supply, book.Demand, retailPrice, feedInPrice),
            ClearingMechanism.MidMarketRate => new Ratio((BigInteger)retailPrice + feedInPrice, 2),
            ClearingMechanism.BillSharing => Ratio.Zero,
            _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "Not a pool mechanism."),
        };
        return new InternalMatch(price, buyers, sellers, internalWh);
    }

    /// <summary>
    /// Liu et al. 2017 (IEEE TPWRS 32(5), doi:10.1109/TPWRS.2017.2649558). With SDR = G/D ≤ 1 the internal
    /// price is the harmonic interpolation λ_b·λ_s / ((λ_b − λ_s)·SDR + λ_s), i.e.
    /// λ_b·λ_s·D / ((λ_b − λ_s)·G + λ_s·D): λ_b at SDR = 0, λ_s at SDR = 1. With SDR &gt; 1 it is λ_s.
    /// </summary>
    public static Ratio SupplyDemandRatioPrice(long supply, long demand, long retailPrice, long feedInPrice)
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
