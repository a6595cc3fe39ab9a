using System;
using System.Collections.Generic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Sorting;

/// <summary>
/// The interval's houses sorted once by id (ordinal) — the order of the output and of every tie-break — and
/// split into buyers (net &lt; 0) and sellers (net &gt; 0), each side in that same order, as plain arrays.
/// Houses with net 0 take no part. Volumes and D, G fit a long (see ArithmeticBounds).
/// </summary>
internal sealed class HouseBook
{
    /// <summary>A house without a limit price: a price-taker (limits are validated to be ≥ 0).</summary>
    public const long NoLimit = -1;

    private HouseBook(string[] sortedIds, int buyers, int sellers)
    {
        Ids = sortedIds;
        NetWh = new long[sortedIds.Length];
        BuyerVolumeWh = new long[buyers];
        BuyerLimit = new long[buyers];
        SellerVolumeWh = new long[sellers];
        SellerLimit = new long[sellers];
    }

    /// <summary>Every house's id, ascending (ordinal).</summary>
    public string[] Ids { get; }

    /// <summary>Export − import per house, in <see cref="Ids"/> order.</summary>
    public long[] NetWh { get; }

    /// <summary>d_i = −net of each buyer, in id order.</summary>
    public long[] BuyerVolumeWh { get; }

    /// <summary>Each buyer's limit price or <see cref="NoLimit"/>, in id order.</summary>
    public long[] BuyerLimit { get; }

    /// <summary>s_j = net of each seller, in id order.</summary>
    public long[] SellerVolumeWh { get; }

    /// <summary>Each seller's limit price or <see cref="NoLimit"/>, in id order.</summary>
    public long[] SellerLimit { get; }

    /// <summary>D: total shortfall of the buyers, Wh.</summary>
    public long Demand { get; private set; }

    /// <summary>G: total surplus of the sellers, Wh.</summary>
    public long Supply { get; private set; }

    public static HouseBook From(IReadOnlyList<HousePosition> houses)
    {
        var count = houses.Count;
        var ids = new string[count];
        var positions = new int[count];
        var buyers = 0;
        var sellers = 0;
        for (var i = 0; i < count; i++)
        {
            var house = houses[i];
            ids[i] = house.Id;
            var net = house.ExportWh - house.ImportWh;
            buyers += net < 0 ? 1 : 0;
            sellers += net > 0 ? 1 : 0;
        }

        OrdinalSort.Sort(ids, positions);

        var book = new HouseBook(ids, buyers, sellers);
        var buyer = 0;
        var seller = 0;
        long demand = 0;
        long supply = 0;
        for (var k = 0; k < count; k++)
        {
            var house = houses[positions[k]];
            var net = house.ExportWh - house.ImportWh;
            book.NetWh[k] = net;
            if (net < 0)
            {
                book.BuyerVolumeWh[buyer] = -net;
                book.BuyerLimit[buyer] = house.LimitPrice ?? NoLimit;
                demand -= net;
                buyer++;
            }
            else if (net > 0)
            {
                book.SellerVolumeWh[seller] = net;
                book.SellerLimit[seller] = house.LimitPrice ?? NoLimit;
                supply += net;
                seller++;
            }
        }

        book.Demand = demand;
        book.Supply = supply;
        return book;
    }
}
