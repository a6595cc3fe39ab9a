using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Globalization;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Breakaway;

/// <summary>State keys of exits (docs/chain.md §3, docs/breakaway.md §3).</summary>
public static class ExitKeys
{
    public const string ExitPrefix = "exit/";
    public const string SettledPrefix = "exit-settled/";
    public const string DuePrefix = "exits-due/";

    public static string Exit(string houseId) => ExitPrefix + houseId;
    public static string Settled(string houseId) => SettledPrefix + houseId;
    /// <summary>An announced exit that becomes final when the interval starting at <paramref name="exitIntervalStart"/> is the next to close.</summary>
    public static string Due(long exitIntervalStart, string houseId) =>
        DuePrefix + exitIntervalStart.ToString("D19", CultureInfo.InvariantCulture) + "/" + houseId;

    public static long DueInterval(string dueKey) =>
        long.Parse(dueKey.AsSpan(DuePrefix.Length, StateKeys.PadWidth), NumberStyles.None, CultureInfo.InvariantCulture);

    public static string DueHouse(string dueKey) => dueKey[(DuePrefix.Length + StateKeys.PadWidth + 1)..];
}

public enum ExitStatus
{
    /// <summary>Signed and recorded; the house is a member until its exit interval is the next to close.</summary>
    Announced = 1,
    /// <summary>The intervals before the exit interval have closed: balance, fund share and meters are fixed.</summary>
    Final = 2,
}

/// <summary>A meter of a leaving house as the old chain last accepted it: what the new chain's genesis starts it from.</summary>
public sealed record ExitMeter(string MeterId, MeterRecord Meter);

/// <summary>
/// A house's exit as the state keeps it under <c>exit/{houseId}</c>. Once <see cref="ExitStatus.Final"/> it never
/// changes again, so its hash can be named by the new chain's genesis; settling payments are kept apart
/// (<c>exit-settled/{houseId}</c>).
/// </summary>
/// <param name="FinalBalance">The house's balance when the exit became final: positive, the community owes the house.</param>
/// <param name="FundShare">What the house takes of the community fund (parameter 30), owed to it on top of its balance.</param>
public sealed record ExitRecord(
    string NewChainId, long ExitIntervalStart, byte[] ExitTxId, byte[] MemberKey, ExitStatus Status,
    long FinalBalance, long FundShare, IReadOnlyList<ExitMeter> Meters)
{
    private const int FieldCount = 8;

    /// <summary>What the community owes the house (negative: what the house owes the community) before any settling payment.</summary>
    public long Owed => checked(FinalBalance + FundShare);

    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(FieldCount);
        w.WriteInt32(1); w.WriteTextString(NewChainId);
        w.WriteInt32(2); w.WriteInt64(ExitIntervalStart);
        w.WriteInt32(3); w.WriteByteString(ExitTxId);
        w.WriteInt32(4); w.WriteByteString(MemberKey);
        w.WriteInt32(5); w.WriteInt32((int)Status);
        w.WriteInt32(6); w.WriteInt64(FinalBalance);
        w.WriteInt32(7); w.WriteInt64(FundShare);
        w.WriteInt32(8);
        w.WriteStartArray(Meters.Count);
        foreach (ExitMeter m in Meters)
        {
            w.WriteStartArray(2);
            w.WriteTextString(m.MeterId);
            w.WriteEncodedValue(m.Meter.Encode());
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    public byte[] Hash() => Hashes.Sha256(Encode());

    public static ExitRecord Decode(byte[] bytes) => Cbor.Decode("exit record", bytes, r =>
    {
        const string what = "exit record";
        Cbor.ReadMapHeader(r, FieldCount, what);
        Cbor.ReadKey(r, 1, what); string newChain = r.ReadTextString();
        Cbor.ReadKey(r, 2, what); long start = r.ReadInt64();
        Cbor.ReadKey(r, 3, what); byte[] txId = Cbor.ReadBytes(r, Hashes.Size, what + " tx id");
        Cbor.ReadKey(r, 4, what); byte[] memberKey = Cbor.ReadBytes(r, AdminPayload.KeySize, what + " member key");
        Cbor.ReadKey(r, 5, what); var status = (ExitStatus)r.ReadInt32();
        Cbor.ReadKey(r, 6, what); long balance = r.ReadInt64();
        Cbor.ReadKey(r, 7, what); long share = r.ReadInt64();
        Cbor.ReadKey(r, 8, what);
        int count = Cbor.ReadArrayHeader(r, what + " meters");
        var meters = new List<ExitMeter>(count);
        for (int i = 0; i < count; i++)
        {
            r.ReadStartArray();
            string meterId = r.ReadTextString();
            MeterRecord meter = MeterRecord.Decode(r.ReadEncodedValue().ToArray());
            r.ReadEndArray();
            meters.Add(new ExitMeter(meterId, meter));
        }
        r.ReadEndArray();
        r.ReadEndMap();
        return new ExitRecord(newChain, start, txId, memberKey, status, balance, share, meters);
    });
}

/// <summary>Typed access to exits during a block.</summary>
public static class ExitStateView
{
    public static ExitRecord? Exit(this StateView state, string houseId) =>
        state.Overlay.Get(ExitKeys.Exit(houseId)) is { } v ? ExitRecord.Decode(v) : null;

    public static void PutExit(this StateView state, string houseId, ExitRecord record) =>
        state.Overlay.Set(ExitKeys.Exit(houseId), record.Encode());

    /// <summary>The signed sum of settling payments so far: paid to the house positive, received from it negative.</summary>
    public static long ExitSettled(this StateView state, string houseId) =>
        state.Overlay.Get(ExitKeys.Settled(houseId)) is { } v ? StateValues.DecodeInt(v, "exit settled") : 0;

    public static void SetExitSettled(this StateView state, string houseId, long settled) =>
        state.Overlay.Set(ExitKeys.Settled(houseId), StateValues.EncodeInt(settled));

    /// <summary>
    /// Whether a meter's reading for the interval starting at <paramref name="intervalStart"/> is refused because the
    /// meter's house has left: from its exit interval on, and for every interval once the exit is final (the old
    /// chain's accounts with the house are then closed; later energy belongs to the new chain).
    /// </summary>
    public static ExitRecord? RetiringExit(this StateView state, string houseId, long intervalStart) =>
        state.Exit(houseId) is { } exit && (exit.Status == ExitStatus.Final || intervalStart >= exit.ExitIntervalStart) ? exit : null;
}
