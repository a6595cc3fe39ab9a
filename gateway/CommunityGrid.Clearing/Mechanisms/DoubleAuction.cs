using System;
using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Sorting;

namespace CommunityGrid.Clearing.Mechanisms;

/// <summary>
/// Uniform-price double auction on members' limit prices, the grid as backstop (docs/clearing.md).
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
internal static class DoubleAuction
{
    public static InternalMatch Match(HouseBook book, long retailPrice, long feedInPrice)
    {
        var buyerVolumes = book.BuyerVolumeWh;
        var sellerVolumes = book.SellerVolumeWh;
        var bids = new long[buyerVolumes.Length];
        var offers = new long[sellerVolumes.Length];
        for (var b = 0; b < bids.Length; b++)
        {
            var limit = book.BuyerLimit[b];
            bids[b] = limit == HouseBook.NoLimit ? retailPrice : Math.Min(limit, retailPrice);
        }

        for (var s = 0; s < offers.Length; s++)
        {
            var limit = book.SellerLimit[s];
            offers[s] = limit == HouseBook.NoLimit ? feedInPrice : Math.Max(limit, feedInPrice);
        }

        // The walk visits bids from highest and offers from lowest, ties by ascending id (index).
        var buyerRank = Rank(bids, descending: true);
        var sellerRank = Rank(offers, descending: false);

        long matched = 0;
        long marginalBid = 0;
        long marginalOffer = 0;
        var i = 0;
        var j = 0;
        var buyerLeft = bids.Length > 0 ? buyerVolumes[buyerRank[0]] : 0;
        var sellerLeft = offers.Length > 0 ? sellerVolumes[sellerRank[0]] : 0;
        while (i < bids.Length && j < offers.Length && bids[buyerRank[i]] >= offers[sellerRank[j]])
        {
            var traded = Math.Min(buyerLeft, sellerLeft);
            matched += traded;
            marginalBid = bids[buyerRank[i]];
            marginalOffer = offers[sellerRank[j]];
            buyerLeft -= traded;
            sellerLeft -= traded;
            if (buyerLeft == 0 && ++i < bids.Length)
            {
                buyerLeft = buyerVolumes[buyerRank[i]];
            }

            if (sellerLeft == 0 && ++j < offers.Length)
            {
                sellerLeft = sellerVolumes[sellerRank[j]];
            }
        }

        if (matched == 0)
        {
            return new InternalMatch(null, new long[bids.Length], new long[offers.Length], 0);
        }

        var buyerFills = Fill(buyerVolumes, bids, matched, marginalBid, fullAbove: true);
        var sellerFills = Fill(sellerVolumes, offers, matched, marginalOffer, fullAbove: false);
        return new InternalMatch(new Ratio((BigInteger)marginalBid + marginalOffer, 2), buyerFills, sellerFills, matched);
    }

    /// <summary>
    /// Indices ordered by price (descending for bids), equal prices by ascending index: a stable radix sort of
    /// the prices (0 ≤ price ≤ MaxPrice, so the descending key MaxPrice − price is ≥ 0 too) over the identity.
    /// </summary>
    private static int[] Rank(long[] prices, bool descending)
    {
        var keys = new ulong[prices.Length];
        var order = new int[prices.Length];
        for (var k = 0; k < prices.Length; k++)
        {
            keys[k] = (ulong)(descending ? ClearingLimits.MaxPrice - prices[k] : prices[k]);
            order[k] = k;
        }

        RadixSort.Sort(keys, order);
        return order;
    }

    /// <summary>
    /// Houses strictly better than the marginal price are filled completely; those exactly at it share the
    /// rest pro rata to their volume (largest remainder, ties by id).
    /// </summary>
    private static long[] Fill(long[] volumes, long[] prices, long matched, long marginalPrice, bool fullAbove)
    {
        var fills = new long[volumes.Length];
        var rest = matched;
        var marginalCount = 0;
        for (var k = 0; k < volumes.Length; k++)
        {
            var price = prices[k];
            if (fullAbove ? price > marginalPrice : price < marginalPrice)
            {
                fills[k] = volumes[k];
                rest -= volumes[k];
            }
            else if (price == marginalPrice)
            {
                marginalCount++;
            }
        }

        var members = new int[marginalCount];
        var weights = new long[marginalCount];
        var m = 0;
        for (var k = 0; k < volumes.Length; k++)
        {
            if (prices[k] == marginalPrice)
            {
                members[m] = k;
                weights[m] = volumes[k];
                m++;
            }
        }

        var shares = new long[marginalCount];
        ProRata.Split(rest, weights, shares);
        for (m = 0; m < marginalCount; m++)
        {
            fills[members[m]] = shares[m];
        }

        return fills;
    }
}
