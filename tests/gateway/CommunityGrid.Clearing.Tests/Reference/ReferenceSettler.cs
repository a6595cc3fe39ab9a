using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>
/// Turns a mechanism's energy verdict into money, with exactly one rounding per side:
/// <list type="bullet">
/// <item>Buyer i owes exactly a_i = (p·q_i + λ_b·(d_i − q_i)) / 1000; the buyers' total is ⌈Σa_i⌉.</item>
/// <item>Seller j earns exactly b_j = (p·q_j + λ_s·e_j·(1 − f/1000)) / 1000, e_j its grid export and f the
/// fund's permille; the sellers' total is ⌊Σb_j⌋.</item>
/// <item>Each total is spread by largest remainder over the exact shares (ties: ascending id), so every
/// house's amount is its own exact amount rounded down or up — never further.</item>
/// <item>The community's grid flow is the net position max(D − G, 0) import or max(G − D, 0) export; its
/// amounts are rounded in the grid's favour. The fund receives what is left in the pool.</item>
/// </list>
/// </summary>
public static class ReferenceSettler
{
    private static readonly BigInteger WhPerKwh = 1000;

    public static ClearingResult Settle(ClearingInput input, ReferenceOrderBook book, ReferenceInternalMatch match)
    {
        var internalWh = match.BuyerInternalWh.Sum();
        if (internalWh != match.SellerInternalWh.Sum() || internalWh > book.MaxInternalWh)
        {
            throw new InvalidOperationException("The mechanism matched unequal or impossible internal volumes.");
        }

        var price = match.Price ?? Ratio.Zero;
        var retail = (BigInteger)book.RetailPrice;
        var feedIn = (BigInteger)book.FeedInPrice;
        var keptPermille = (BigInteger)(ClearingLimits.PermilleScale - input.FundSharePermille);

        // Buyers' exact amounts over the common denominator 1000·pd.
        var buyerDenominator = WhPerKwh * price.Denominator;
        var buyerExact = book.Buyers
            .Select((order, i) => price.Numerator * match.BuyerInternalWh[i]
                + retail * price.Denominator * (order.VolumeWh - match.BuyerInternalWh[i]))
            .ToList();
        var buyersTotal = new Ratio(Sum(buyerExact), buyerDenominator).Ceiling();
        var costs = ReferenceLargestRemainder.Round(buyersTotal, buyerExact, buyerDenominator);

        // Sellers' exact amounts over 10^6·pd: the permille of the fund share needs a further factor 1000.
        var sellerDenominator = WhPerKwh * ClearingLimits.PermilleScale * price.Denominator;
        var sellerExact = book.Sellers
            .Select((order, j) => WhPerKwh * price.Numerator * match.SellerInternalWh[j]
                + keptPermille * feedIn * price.Denominator * (order.VolumeWh - match.SellerInternalWh[j]))
            .ToList();
        var sellersTotal = new Ratio(Sum(sellerExact), sellerDenominator).Floor();
        var revenues = ReferenceLargestRemainder.Round(sellersTotal, sellerExact, sellerDenominator);

        // Houses settle unmatched volume at grid prices, but the community's single connection only
        // carries the net flow. They differ only when an auction leaves both buyers and sellers
        // unmatched; the pool then keeps the retail/feed-in spread on the netted energy (fund income).
        var importGridWh = Math.Max(book.Demand - book.Supply, 0);
        var exportGridWh = Math.Max(book.Supply - book.Demand, 0);
        var gridCost = new Ratio(retail * importGridWh, WhPerKwh).Ceiling();
        var gridRevenue = new Ratio(feedIn * exportGridWh, WhPerKwh).Floor();
        var fundIncome = buyersTotal + gridRevenue - sellersTotal - gridCost;

        var community = new CommunitySettlement(
            internalWh,
            importGridWh,
            exportGridWh,
            checked((long)gridCost),
            checked((long)gridRevenue),
            checked((long)fundIncome));

        return new ClearingResult(
            input.Mechanism,
            match.Price,
            AveragePrice(price, internalWh, retail, book.Demand - internalWh, book.Demand),
            AveragePrice(price, internalWh, feedIn, book.Supply - internalWh, book.Supply),
            HouseSettlements(input, book, match, costs, revenues),
            community);
    }

    /// <summary>(p·Q + grid price·grid volume) / side volume; null when the side is empty.</summary>
    private static Ratio? AveragePrice(Ratio price, long internalWh, BigInteger gridPrice, long gridWh, long sideWh)
    {
        if (sideWh == 0)
        {
            return null;
        }

        return new Ratio(
            price.Numerator * internalWh + gridPrice * price.Denominator * gridWh,
            price.Denominator * sideWh);
    }

    private static List<HouseSettlement> HouseSettlements(
        ClearingInput input, ReferenceOrderBook book, ReferenceInternalMatch match, long[] costs, long[] revenues)
    {
        var byId = new Dictionary<string, HouseSettlement>(StringComparer.Ordinal);
        for (var i = 0; i < book.Buyers.Count; i++)
        {
            var order = book.Buyers[i];
            var internalWh = match.BuyerInternalWh[i];
            byId[order.Id] = new HouseSettlement(order.Id, internalWh, 0, order.VolumeWh - internalWh, 0, costs[i], 0);
        }

        for (var j = 0; j < book.Sellers.Count; j++)
        {
            var order = book.Sellers[j];
            var internalWh = match.SellerInternalWh[j];
            byId[order.Id] = new HouseSettlement(order.Id, 0, internalWh, 0, order.VolumeWh - internalWh, 0, revenues[j]);
        }

        // Lookup only; the output order comes from the sorted ids, never from the dictionary.
        return input.Houses
            .Select(house => house.Id)
            .OrderBy(id => id, StringComparer.Ordinal)
            .Select(id => byId.TryGetValue(id, out var settled) ? settled : new HouseSettlement(id, 0, 0, 0, 0, 0, 0))
            .ToList();
    }

    private static BigInteger Sum(IEnumerable<BigInteger> values)
    {
        var total = BigInteger.Zero;
        foreach (var value in values)
        {
            total += value;
        }

        return total;
    }
}
