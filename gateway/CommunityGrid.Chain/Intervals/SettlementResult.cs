using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// What one interval's settlement did; recorded in the block that closed the interval. Money in minor units.
/// Conservation: sum(Cost) + GridRevenue = sum(Revenue) + GridCost + FundIncome, to the minor unit.
/// </summary>
/// <param name="InternalWh">Energy traded between houses (0 under grid-only settlement).</param>
/// <param name="InternalPriceMicros">
/// The internal price in millionths of a minor unit per kWh, rounded half up; informative only (the amounts
/// are computed from the exact price), null when no internal price exists (grid-only, or an auction that
/// matched nothing).
/// </param>
public sealed record SettlementResult(
    long IntervalStart,
    int IntervalSeconds,
    string Mechanism,
    IReadOnlyList<HouseSettlement> Houses,
    long GridImportWh,
    long GridExportWh,
    long GridCost,
    long GridRevenue,
    long FundIncome,
    long InternalWh = 0,
    long? InternalPriceMicros = null)
{
    private const int FieldCount = 11;
    private const int HouseFieldCount = 8;

    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(FieldCount);
        w.WriteInt32(1); w.WriteInt64(IntervalStart);
        w.WriteInt32(2); w.WriteInt32(IntervalSeconds);
        w.WriteInt32(3); w.WriteTextString(Mechanism);
        w.WriteInt32(4);
        w.WriteStartArray(Houses.Count);
        foreach (HouseSettlement h in Houses)
        {
            w.WriteStartArray(HouseFieldCount);
            w.WriteTextString(h.HouseId);
            w.WriteInt64(h.ImportWh);
            w.WriteInt64(h.ExportWh);
            w.WriteInt64(h.ImportInternalWh);
            w.WriteInt64(h.ExportInternalWh);
            w.WriteInt64(h.Cost);
            w.WriteInt64(h.Revenue);
            w.WriteInt64(h.Net);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteInt32(5); w.WriteInt64(GridImportWh);
        w.WriteInt32(6); w.WriteInt64(GridExportWh);
        w.WriteInt32(7); w.WriteInt64(GridCost);
        w.WriteInt32(8); w.WriteInt64(GridRevenue);
        w.WriteInt32(9); w.WriteInt64(FundIncome);
        w.WriteInt32(10); w.WriteInt64(InternalWh);
        w.WriteInt32(11);
        if (InternalPriceMicros is long price) w.WriteInt64(price); else w.WriteNull();
        w.WriteEndMap();
        return w.Encode();
    }

    public static SettlementResult Decode(byte[] bytes) => Cbor.Decode("settlement result", bytes, r =>
    {
        const string what = "settlement result";
        Cbor.ReadMapHeader(r, FieldCount, what);
        Cbor.ReadKey(r, 1, what); long start = r.ReadInt64();
        Cbor.ReadKey(r, 2, what); int seconds = r.ReadInt32();
        Cbor.ReadKey(r, 3, what); string mechanism = r.ReadTextString();
        Cbor.ReadKey(r, 4, what);
        int count = Cbor.ReadArrayHeader(r, what);
        var houses = new List<HouseSettlement>(count);
        for (int i = 0; i < count; i++)
        {
            if (Cbor.ReadArrayHeader(r, what) != HouseFieldCount) throw new ChainFormatException($"{what}: a house entry has {HouseFieldCount} items");
            houses.Add(new HouseSettlement(r.ReadTextString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()));
            r.ReadEndArray();
        }
        r.ReadEndArray();
        Cbor.ReadKey(r, 5, what); long gridImport = r.ReadInt64();
        Cbor.ReadKey(r, 6, what); long gridExport = r.ReadInt64();
        Cbor.ReadKey(r, 7, what); long gridCost = r.ReadInt64();
        Cbor.ReadKey(r, 8, what); long gridRevenue = r.ReadInt64();
        Cbor.ReadKey(r, 9, what); long fund = r.ReadInt64();
        Cbor.ReadKey(r, 10, what); long internalWh = r.ReadInt64();
        Cbor.ReadKey(r, 11, what);
        long? internalPrice = null;
        if (r.PeekState() == CborReaderState.Null) r.ReadNull(); else internalPrice = r.ReadInt64();
        r.ReadEndMap();
        return new SettlementResult(start, seconds, mechanism, houses, gridImport, gridExport, gridCost, gridRevenue, fund, internalWh, internalPrice);
    });
}

/// <param name="ImportWh">The house's metered import in the interval, Wh.</param>
/// <param name="ExportWh">The house's metered export in the interval, Wh. What is cleared is the net position, export − import.</param>
/// <param name="ImportInternalWh">The part of a net import bought from other houses (the rest came from the grid).</param>
/// <param name="ExportInternalWh">The part of a net export sold to other houses (the rest went to the grid).</param>
/// <param name="Net">Revenue − Cost: what the house's balance changes by.</param>
public sealed record HouseSettlement(string HouseId, long ImportWh, long ExportWh, long ImportInternalWh, long ExportInternalWh, long Cost, long Revenue, long Net);
