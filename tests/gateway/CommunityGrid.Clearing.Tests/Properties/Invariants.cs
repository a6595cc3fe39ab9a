using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.Properties;

/// <summary>
/// The invariants of docs/clearing.md, checked against an input and its result with arithmetic written
/// independently of the engine's. Bill sharing's stated exemptions are the only ones.
/// </summary>
internal static class Invariants
{
    public static void Energy(ClearingInput input, ClearingResult result)
    {
        Assert.Equal(input.Houses.Select(h => h.Id).Order(StringComparer.Ordinal), result.Houses.Select(h => h.Id));
        var byId = input.Houses.ToDictionary(h => h.Id, StringComparer.Ordinal);
        foreach (var house in result.Houses)
        {
            var net = byId[house.Id].NetWh;
            Assert.True(house.ImportInternalWh >= 0 && house.ImportGridWh >= 0 && house.ExportInternalWh >= 0 && house.ExportGridWh >= 0);
            Assert.Equal(net, house.ExportInternalWh + house.ExportGridWh - house.ImportInternalWh - house.ImportGridWh);
            // A house is on one side only: a buyer never exports, a seller never imports.
            Assert.True(net <= 0 || house.ImportInternalWh + house.ImportGridWh == 0);
            Assert.True(net >= 0 || house.ExportInternalWh + house.ExportGridWh == 0);
            Assert.True(house.Cost >= 0 && house.Revenue >= 0);
            Assert.True(net <= 0 || house.Cost == 0);
            Assert.True(net >= 0 || house.Revenue == 0);
        }

        var supply = input.Houses.Where(h => h.NetWh > 0).Sum(h => h.NetWh);
        var demand = input.Houses.Where(h => h.NetWh < 0).Sum(h => -h.NetWh);
        var community = result.Community;
        Assert.Equal(community.InternalWh, result.Houses.Sum(h => h.ImportInternalWh));
        Assert.Equal(community.InternalWh, result.Houses.Sum(h => h.ExportInternalWh));
        Assert.Equal(Math.Max(demand - supply, 0), community.ImportGridWh);
        Assert.Equal(Math.Max(supply - demand, 0), community.ExportGridWh);
        Assert.Equal(
            community.ImportGridWh - community.ExportGridWh,
            result.Houses.Sum(h => h.ImportGridWh) - result.Houses.Sum(h => h.ExportGridWh));
        if (input.Mechanism == ClearingMechanism.DoubleAuction)
        {
            Assert.True(community.InternalWh <= Math.Min(supply, demand));
        }
        else
        {
            // Pool mechanisms: houses trade internally first.
            Assert.Equal(Math.Min(supply, demand), community.InternalWh);
        }
    }

    public static void Money(ClearingInput input, ClearingResult result)
    {
        var community = result.Community;
        BigInteger paid = result.Houses.Sum(h => (BigInteger)h.Cost, 0);
        BigInteger received = result.Houses.Sum(h => (BigInteger)h.Revenue, 0);
        Assert.Equal(paid + community.GridRevenue, received + community.GridCost + community.FundIncome);
        Assert.Equal(Ceiling(input.RetailPrice * (BigInteger)community.ImportGridWh, 1000), community.GridCost);
        Assert.Equal(Floor(input.FeedInPrice * (BigInteger)community.ExportGridWh, 1000), community.GridRevenue);

        // Each house gets its exact amount rounded down or up, never further (largest remainder).
        var price = result.InternalPrice ?? Ratio.Zero;
        BigInteger exactBuyers = 0;
        BigInteger exactSellers = 0;
        var buyerScale = 1000 * price.Denominator;
        var sellerScale = 1_000_000 * price.Denominator;
        foreach (var house in result.Houses)
        {
            var owed = price.Numerator * house.ImportInternalWh + input.RetailPrice * price.Denominator * house.ImportGridWh;
            var earned = 1000 * price.Numerator * house.ExportInternalWh
                + (1000 - input.FundSharePermille) * input.FeedInPrice * price.Denominator * house.ExportGridWh;
            Assert.InRange(house.Cost, (long)Floor(owed, buyerScale), (long)Ceiling(owed, buyerScale));
            Assert.InRange(house.Revenue, (long)Floor(earned, sellerScale), (long)Ceiling(earned, sellerScale));
            exactBuyers += owed * 1000;
            exactSellers += earned;
        }

        // The fund: its exact take, the auction's netting spread and less than 2 minor units of rounding.
        var exactFund = exactBuyers - exactSellers
            + (BigInteger)input.FeedInPrice * community.ExportGridWh * 1000 * price.Denominator
            - (BigInteger)input.RetailPrice * community.ImportGridWh * 1000 * price.Denominator;
        var fundError = (BigInteger)community.FundIncome * sellerScale - exactFund;
        Assert.True(BigInteger.Abs(fundError) < 2 * sellerScale, $"fund {community.FundIncome} vs exact {exactFund}/{sellerScale}");
    }

    public static void PricesWithinTariffs(ClearingInput input, ClearingResult result)
    {
        var low = Ratio.FromInteger(input.FeedInPrice);
        var high = Ratio.FromInteger(input.RetailPrice);
        if (input.Mechanism == ClearingMechanism.BillSharing)
        {
            // Stated exemption: internal energy is free under bill sharing.
            Assert.Equal(Ratio.Zero, result.InternalPrice);
            return;
        }

        foreach (var price in new[] { result.InternalPrice, result.AverageBuyPrice, result.AverageSellPrice })
        {
            if (price is { } p)
            {
                Assert.True(low <= p && p <= high, $"price {p} outside [{low}, {high}]");
            }
        }
    }

    /// <summary>
    /// No buyer pays more than the grid alone would bill (rounded up to the minor unit); no seller receives
    /// less than feed-in alone would pay (rounded down) minus the fund's share of its own export.
    /// Bill sharing keeps the buyers' half only.
    /// </summary>
    public static void NoWorseThanGrid(ClearingInput input, ClearingResult result)
    {
        foreach (var house in result.Houses)
        {
            var shortfall = house.ImportInternalWh + house.ImportGridWh;
            Assert.True(house.Cost <= Ceiling((BigInteger)input.RetailPrice * shortfall, 1000), $"{house.Id} pays {house.Cost}");
            if (input.Mechanism == ClearingMechanism.BillSharing)
            {
                continue;
            }

            var surplus = house.ExportInternalWh + house.ExportGridWh;
            var gridAloneLessFund = (BigInteger)1000 * input.FeedInPrice * surplus
                - (BigInteger)input.FundSharePermille * input.FeedInPrice * house.ExportGridWh;
            Assert.True(house.Revenue >= Floor(gridAloneLessFund, 1_000_000), $"{house.Id} receives {house.Revenue}");
        }
    }

    /// <summary>Auction: trades respect every limit, and no unmatched buyer would pay an unmatched seller's offer.</summary>
    public static void AuctionRespectsLimits(ClearingInput input, ClearingResult result)
    {
        if (input.Mechanism != ClearingMechanism.DoubleAuction)
        {
            return;
        }

        var byId = input.Houses.ToDictionary(h => h.Id, StringComparer.Ordinal);
        long Bid(string id) => Math.Min(byId[id].LimitPrice ?? input.RetailPrice, input.RetailPrice);
        long Offer(string id) => Math.Max(byId[id].LimitPrice ?? input.FeedInPrice, input.FeedInPrice);
        var unmatchedBids = new List<long>();
        var unmatchedOffers = new List<long>();
        foreach (var house in result.Houses)
        {
            if (house.ImportInternalWh > 0)
            {
                Assert.True(result.InternalPrice <= Ratio.FromInteger(Bid(house.Id)));
            }

            if (house.ExportInternalWh > 0)
            {
                Assert.True(result.InternalPrice >= Ratio.FromInteger(Offer(house.Id)));
            }

            if (house.ImportGridWh > 0)
            {
                unmatchedBids.Add(Bid(house.Id));
            }

            if (house.ExportGridWh > 0)
            {
                unmatchedOffers.Add(Offer(house.Id));
            }
        }

        if (unmatchedBids.Count > 0 && unmatchedOffers.Count > 0)
        {
            Assert.True(unmatchedBids.Max() < unmatchedOffers.Min(), "a profitable trade was left unmatched");
        }
    }

    private static BigInteger Floor(BigInteger numerator, BigInteger denominator) => Ratio.FloorDivide(numerator, denominator);

    private static BigInteger Ceiling(BigInteger numerator, BigInteger denominator) => -Ratio.FloorDivide(-numerator, denominator);

    private static BigInteger Sum<T>(this IEnumerable<T> source, Func<T, BigInteger> selector, BigInteger seed) =>
        source.Aggregate(seed, (total, item) => total + selector(item));
}
