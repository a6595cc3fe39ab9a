using System.Linq;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// SDR, MMR and bill sharing are one pool (Zhou et al. 2018): Q = min(G, D) is traded internally at
/// one price, shared pro rata — buyer i takes Q·d_i/D, seller j delivers Q·s_j/G — rounded to whole Wh by
/// largest remainder. The mechanisms differ only in the price.
/// </summary>
public abstract class ReferencePoolMechanism : IReferenceMechanism
{
    public ReferenceInternalMatch Match(ReferenceOrderBook book)
    {
        var internalWh = book.MaxInternalWh;
        var buyers = ReferenceLargestRemainder.Split(internalWh, book.Buyers.Select(order => order.VolumeWh).ToList());
        var sellers = ReferenceLargestRemainder.Split(internalWh, book.Sellers.Select(order => order.VolumeWh).ToList());
        return new ReferenceInternalMatch(
            InternalPrice(book.Supply, book.Demand, book.RetailPrice, book.FeedInPrice), buyers, sellers);
    }

    /// <summary>p_int for total supply G, total demand D, retail λ_b and feed-in λ_s.</summary>
    public abstract Ratio InternalPrice(long supply, long demand, long retailPrice, long feedInPrice);
}
