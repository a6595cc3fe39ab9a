using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Tests.Reference;

// Reference oracle: today's engine before the issue-18 rewrite, verbatim but for type names. See ReferenceClearingEngine.

/// <summary>One side's entry: a short house's demand or a long house's surplus, in Wh (&gt; 0).</summary>
public sealed record ReferenceOrder(string Id, long VolumeWh, long? LimitPrice);

/// <summary>
/// The interval's positions split into buyers (net &lt; 0) and sellers (net &gt; 0), each sorted by id
/// (ordinal), which fixes the order of every later step and every tie-break. Houses with net 0 take no part.
/// </summary>
public sealed class ReferenceOrderBook
{
    private ReferenceOrderBook(long retailPrice, long feedInPrice, IReadOnlyList<ReferenceOrder> buyers, IReadOnlyList<ReferenceOrder> sellers)
    {
        RetailPrice = retailPrice;
        FeedInPrice = feedInPrice;
        Buyers = buyers;
        Sellers = sellers;
        Demand = buyers.Sum(order => order.VolumeWh);
        Supply = sellers.Sum(order => order.VolumeWh);
    }

    public long RetailPrice { get; }

    public long FeedInPrice { get; }

    public IReadOnlyList<ReferenceOrder> Buyers { get; }

    public IReadOnlyList<ReferenceOrder> Sellers { get; }

    /// <summary>D: total shortfall of the buyers, Wh.</summary>
    public long Demand { get; }

    /// <summary>G: total surplus of the sellers, Wh.</summary>
    public long Supply { get; }

    /// <summary>Q = min(G, D): the most energy that can change hands inside the community.</summary>
    public long MaxInternalWh => Math.Min(Supply, Demand);

    public static ReferenceOrderBook From(ClearingInput input)
    {
        var sorted = input.Houses.OrderBy(house => house.Id, StringComparer.Ordinal).ToList();
        var buyers = sorted
            .Where(house => house.NetWh < 0)
            .Select(house => new ReferenceOrder(house.Id, -house.NetWh, house.LimitPrice))
            .ToList();
        var sellers = sorted
            .Where(house => house.NetWh > 0)
            .Select(house => new ReferenceOrder(house.Id, house.NetWh, house.LimitPrice))
            .ToList();
        return new ReferenceOrderBook(input.RetailPrice, input.FeedInPrice, buyers, sellers);
    }
}
