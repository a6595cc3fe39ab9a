using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Clearing.Arithmetic;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// Uniform-price double auction on members' limit prices, the grid as backstop.
/// <list type="number">
/// <item>Effective bid = min(limit, λ_b), effective offer = max(limit, λ_s); no limit means a price-taker
/// (bid λ_b, offer λ_s). Nobody rationally pays more than the grid charges or sells below what it pays.</item>
/// <item>Bids are walked from highest, offers from lowest; energy is matched while bid ≥ offer.
/// The last matched bid b* and offer o* are the marginal pair.</item>
/// <item>Clearing price = (b* + o*) / 2, which lies in [λ_s, λ_b] because λ_s ≤ o* ≤ b* ≤ λ_b.</item>
/// <item>Bids above b* and offers below o* are filled in full; the houses exactly at b* (at o*) share the
/// rest of the matched volume pro rata to their volume, by largest remainder, so the walk's order inside a
/// price level never decides who trades.</item>
/// </list>
/// Everything unmatched goes to or comes from the grid.
/// </summary>
public sealed class ReferenceDoubleAuctionMechanism : IReferenceMechanism
{
    public ReferenceInternalMatch Match(ReferenceOrderBook book)
    {
        var bids = book.Buyers.Select(order => Math.Min(order.LimitPrice ?? book.RetailPrice, book.RetailPrice)).ToArray();
        var offers = book.Sellers.Select(order => Math.Max(order.LimitPrice ?? book.FeedInPrice, book.FeedInPrice)).ToArray();
        var buyerOrder = RankBy(bids, descending: true);
        var sellerOrder = RankBy(offers, descending: false);

        long matched = 0;
        long marginalBid = 0;
        long marginalOffer = 0;
        var i = 0;
        var j = 0;
        var buyerLeft = book.Buyers.Count > 0 ? book.Buyers[buyerOrder[0]].VolumeWh : 0;
        var sellerLeft = book.Sellers.Count > 0 ? book.Sellers[sellerOrder[0]].VolumeWh : 0;
        while (i < bids.Length && j < offers.Length && bids[buyerOrder[i]] >= offers[sellerOrder[j]])
        {
            var traded = Math.Min(buyerLeft, sellerLeft);
            matched += traded;
            marginalBid = bids[buyerOrder[i]];
            marginalOffer = offers[sellerOrder[j]];
            buyerLeft -= traded;
            sellerLeft -= traded;
            if (buyerLeft == 0 && ++i < bids.Length)
            {
                buyerLeft = book.Buyers[buyerOrder[i]].VolumeWh;
            }

            if (sellerLeft == 0 && ++j < offers.Length)
            {
                sellerLeft = book.Sellers[sellerOrder[j]].VolumeWh;
            }
        }

        if (matched == 0)
        {
            return new ReferenceInternalMatch(null, new long[bids.Length], new long[offers.Length]);
        }

        var buyerFills = Fill(book.Buyers, bids, matched, price => price > marginalBid, marginalBid);
        var sellerFills = Fill(book.Sellers, offers, matched, price => price < marginalOffer, marginalOffer);
        return new ReferenceInternalMatch(new Ratio((System.Numerics.BigInteger)marginalBid + marginalOffer, 2), buyerFills, sellerFills);
    }

    /// <summary>Indices by effective price, ties by index (= ascending id), so the walk is deterministic.</summary>
    private static int[] RankBy(long[] prices, bool descending)
    {
        var order = Enumerable.Range(0, prices.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byPrice = descending ? prices[b].CompareTo(prices[a]) : prices[a].CompareTo(prices[b]);
            return byPrice != 0 ? byPrice : a.CompareTo(b);
        });
        return order;
    }

    private static long[] Fill(
        IReadOnlyList<ReferenceOrder> orders, long[] prices, long matched, Func<long, bool> inTheMoney, long marginalPrice)
    {
        var fills = new long[orders.Count];
        var rest = matched;
        var marginal = new List<int>();
        for (var k = 0; k < orders.Count; k++)
        {
            if (inTheMoney(prices[k]))
            {
                fills[k] = orders[k].VolumeWh;
                rest -= fills[k];
            }
            else if (prices[k] == marginalPrice)
            {
                marginal.Add(k);
            }
        }

        var shares = ReferenceLargestRemainder.Split(rest, marginal.Select(k => orders[k].VolumeWh).ToList());
        for (var m = 0; m < marginal.Count; m++)
        {
            fills[marginal[m]] = shares[m];
        }

        return fills;
    }
}
