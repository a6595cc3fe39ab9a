using System;
using System.Collections.Generic;
using System.Numerics;
using CommunityGrid.Clearing.Allocation;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Mechanisms;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Sorting;

namespace CommunityGrid.Clearing.Settlement;

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
/// The exact amounts are kept as integer numerators over one denominator per side, in UInt128 (bounds in
/// <see cref="ArithmeticBounds"/>); a side's total is Σ floors + the rounded sum of the remainders.
/// </summary>
internal static class Settler
{
    private const long WhPerKwh = 1000;

    public static ClearingResult Settle(ClearingInput input, HouseBook book, InternalMatch match)
    {
        var internalWh = CheckedVolumes(book, match);
        var price = match.Price ?? Ratio.Zero;
        var priceNumerator = (UInt128)price.Numerator;
        var priceDenominator = (UInt128)price.Denominator;
        var retail = (ulong)input.RetailPrice;
        var feedIn = (ulong)input.FeedInPrice;

        var costs = new long[book.BuyerVolumeWh.Length];
        var buyersTotal = BuyerCosts(book.BuyerVolumeWh, match.BuyerInternalWh, priceNumerator, priceDenominator, retail, costs);
        var revenues = new long[book.SellerVolumeWh.Length];
        var sellersTotal = SellerRevenues(
            book.SellerVolumeWh, match.SellerInternalWh, priceNumerator, priceDenominator, feedIn,
            (ulong)(ClearingLimits.PermilleScale - input.FundSharePermille), revenues);

        // Houses settle unmatched volume at grid prices, but the community's single connection only
        // carries the net flow. They differ only when an auction leaves both buyers and sellers
        // unmatched; the pool then keeps the retail/feed-in spread on the netted energy (fund income).
        var importGridWh = Math.Max(book.Demand - book.Supply, 0);
        var exportGridWh = Math.Max(book.Supply - book.Demand, 0);
        var gridCost = ((Int128)input.RetailPrice * importGridWh + (WhPerKwh - 1)) / WhPerKwh;
        var gridRevenue = (Int128)input.FeedInPrice * exportGridWh / WhPerKwh;
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
            AveragePrice(price, internalWh, input.RetailPrice, book.Demand - internalWh, book.Demand),
            AveragePrice(price, internalWh, input.FeedInPrice, book.Supply - internalWh, book.Supply),
            HouseSettlements(book, match, costs, revenues),
            community);
    }

    private static long CheckedVolumes(HouseBook book, InternalMatch match)
    {
        long bought = 0;
        foreach (var wh in match.BuyerInternalWh)
        {
            bought += wh;
        }

        long sold = 0;
        foreach (var wh in match.SellerInternalWh)
        {
            sold += wh;
        }

        if (bought != match.InternalWh || sold != match.InternalWh || bought > Math.Min(book.Supply, book.Demand))
        {
            throw new InvalidOperationException("The mechanism matched unequal or impossible internal volumes.");
        }

        return bought;
    }

    /// <summary>
    /// Buyer i's exact amount is (pn·q_i + λ_b·pd·g_i) / (1000·pd), ≤ λ_b·pd·d_i ≤ 1.05·10^38 because p ≤ λ_b.
    /// Returns the buyers' total ⌈Σ⌉ after spreading it over <paramref name="costs"/>.
    /// </summary>
    private static Int128 BuyerCosts(
        long[] volumes, long[] internalWh, UInt128 priceNumerator, UInt128 priceDenominator, ulong retail, long[] costs)
    {
        var denominator = WhPerKwh * priceDenominator;
        var gridPrice = retail * priceDenominator;
        var remainders = new UInt128[volumes.Length];
        Int128 floors = 0;
        UInt128 remainderSum = 0;
        for (var i = 0; i < volumes.Length; i++)
        {
            var exact = priceNumerator * (ulong)internalWh[i] + gridPrice * (ulong)(volumes[i] - internalWh[i]);
            var floor = (long)WideDivision.DivRem(exact, denominator, out var remainder);
            costs[i] = floor;
            remainders[i] = remainder;
            floors += floor;
            remainderSum += remainder;
        }

        // ⌈Σ exact⌉ = Σ floors + ⌈Σ remainders / denominator⌉.
        var leftover = (long)((remainderSum + denominator - 1) / denominator);
        LeftoverUnits.Award<UInt128>(costs, remainders, leftover);
        return floors + leftover;
    }

    /// <summary>
    /// Seller j's exact amount is (1000·pn·q_j + (1000 − f)·λ_s·pd·e_j) / (10^6·pd). Without grid exports the
    /// common factor 1000 is cancelled (pn·q_j over 1000·pd, ≤ 1.05·10^38); with grid exports pd ≤ 2, so the
    /// full form stays ≤ 2·10^22. Returns the sellers' total ⌊Σ⌋ after spreading it over <paramref name="revenues"/>.
    /// </summary>
    private static Int128 SellerRevenues(
        long[] volumes, long[] internalWh, UInt128 priceNumerator, UInt128 priceDenominator, ulong feedIn,
        ulong keptPermille, long[] revenues)
    {
        var exports = false;
        for (var j = 0; j < volumes.Length && !exports; j++)
        {
            exports = volumes[j] != internalWh[j];
        }

        UInt128 internalFactor;
        UInt128 gridFactor;
        UInt128 denominator;
        if (!exports)
        {
            internalFactor = priceNumerator;
            gridFactor = 0;
            denominator = WhPerKwh * priceDenominator;
        }
        else
        {
            if (priceDenominator > 2)
            {
                throw new InvalidOperationException("Grid exports next to an internal price with a denominator above 2.");
            }

            internalFactor = WhPerKwh * priceNumerator;
            gridFactor = (UInt128)keptPermille * feedIn * priceDenominator;
            denominator = WhPerKwh * ClearingLimits.PermilleScale * priceDenominator;
        }

        var remainders = new UInt128[volumes.Length];
        Int128 floors = 0;
        UInt128 remainderSum = 0;
        for (var j = 0; j < volumes.Length; j++)
        {
            var exact = internalFactor * (ulong)internalWh[j] + gridFactor * (ulong)(volumes[j] - internalWh[j]);
            var floor = (long)WideDivision.DivRem(exact, denominator, out var remainder);
            revenues[j] = floor;
            remainders[j] = remainder;
            floors += floor;
            remainderSum += remainder;
        }

        // ⌊Σ exact⌋ = Σ floors + ⌊Σ remainders / denominator⌋.
        var leftover = (long)(remainderSum / denominator);
        LeftoverUnits.Award<UInt128>(revenues, remainders, leftover);
        return floors + leftover;
    }

    /// <summary>(p·Q + grid price·grid volume) / side volume; null when the side is empty.</summary>
    private static Ratio? AveragePrice(Ratio price, long internalWh, long gridPrice, long gridWh, long sideWh)
    {
        if (sideWh == 0)
        {
            return null;
        }

        return new Ratio(
            price.Numerator * internalWh + (BigInteger)gridPrice * price.Denominator * gridWh,
            price.Denominator * sideWh);
    }

    private static List<HouseSettlement> HouseSettlements(HouseBook book, InternalMatch match, long[] costs, long[] revenues)
    {
        var ids = book.Ids;
        var settlements = new List<HouseSettlement>(ids.Length);
        var buyer = 0;
        var seller = 0;
        for (var k = 0; k < ids.Length; k++)
        {
            var net = book.NetWh[k];
            if (net < 0)
            {
                var internalWh = match.BuyerInternalWh[buyer];
                settlements.Add(new HouseSettlement(ids[k], internalWh, 0, -net - internalWh, 0, costs[buyer], 0));
                buyer++;
            }
            else if (net > 0)
            {
                var internalWh = match.SellerInternalWh[seller];
                settlements.Add(new HouseSettlement(ids[k], 0, internalWh, 0, net - internalWh, 0, revenues[seller]));
                seller++;
            }
            else
            {
                settlements.Add(new HouseSettlement(ids[k], 0, 0, 0, 0, 0, 0));
            }
        }

        return settlements;
    }
}
