using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;

namespace CommunityGrid.Node.Proofs;

/// <summary>An RFC 6962 inclusion path (protocol.md §5): the leaf's index, the tree size and the sibling hashes, deepest first.</summary>
public sealed record InclusionPath(int Index, int TreeSize, IReadOnlyList<byte[]> Path);

/// <summary>
/// What a meter verifies instead of trusting its gateway (docs/protocol.md §7.6): the committed tip's header and a
/// commit certificate, the meter's own state entry <c>meter/{meterId}</c> (its last committed sequence and registers)
/// and its house's balance with their paths to the header's state root, the path of its last reading in that block to
/// the tx root when the block holds one, the next validator set when the header announces a change, and the price of
/// the last closed interval (state entry <c>price</c>) with its path to the same state root. Unsigned: everything in
/// it is checked against the validators' certificate. Deterministic CBOR map, keys 1-6 and 9 required, 7 and 8 when
/// they apply:
/// <c>{1: chainId, 2: meterId, 3: header bstr, 4: certificate bstr, 5: [meter entry value bstr, index, size, [path]],
/// 6: [balance int, index, size, [path]], 7: [tx index, tx count, [path]], 8: validator-set encoding bstr,
/// 9: [[intervalStart, price], index, size, [path]]}</c>.
/// </summary>
public sealed record MeterProofMessage(
    string ChainId, string MeterId, byte[] Header, byte[] Certificate,
    byte[] MeterEntry, InclusionPath MeterEntryPath, long Balance, InclusionPath BalancePath,
    InclusionPath? Reading, byte[]? NextValidatorSet, IntervalPrice Price, InclusionPath PricePath)
{
    public byte[] Encode()
    {
        // Taken before the thread's writer below, which encoding the price would reset.
        byte[] price = Price.Encode();
        // The thread's reused writer (its buffer grows to a message's 2-3 KB once): a new canonical writer per meter
        // after each block allocated its buffer, nesting stack and key bookkeeping every time (issue 18, perf of the
        // ingest path). The keys are written in ascending order, so the bytes are the canonical writer's.
        CborWriter w = Cbor.ReusedWriterKeysInOrder();
        w.WriteStartMap(7 + (Reading is null ? 0 : 1) + (NextValidatorSet is null ? 0 : 1));
        w.WriteInt32(1); w.WriteTextString(ChainId);
        w.WriteInt32(2); w.WriteTextString(MeterId);
        w.WriteInt32(3); w.WriteByteString(Header);
        w.WriteInt32(4); w.WriteByteString(Certificate);
        w.WriteInt32(5);
        w.WriteStartArray(4);
        w.WriteByteString(MeterEntry);
        WritePosition(w, MeterEntryPath);
        w.WriteEndArray();
        w.WriteInt32(6);
        w.WriteStartArray(4);
        w.WriteInt64(Balance);
        WritePosition(w, BalancePath);
        w.WriteEndArray();
        if (Reading is not null)
        {
            w.WriteInt32(7);
            w.WriteStartArray(3);
            WritePosition(w, Reading);
            w.WriteEndArray();
        }
        if (NextValidatorSet is not null)
        {
            w.WriteInt32(8); w.WriteByteString(NextValidatorSet);
        }
        w.WriteInt32(9);
        w.WriteStartArray(4);
        // The entry's value embedded as its CBOR item, as in the state leaf (docs/chain.md §3).
        w.WriteEncodedValue(price);
        WritePosition(w, PricePath);
        w.WriteEndArray();
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>For tests and tools (a lying relay rewrites genuine messages); the meter has its own portable decoder.</summary>
    /// <exception cref="ChainFormatException">not a proof message in deterministic CBOR.</exception>
    public static MeterProofMessage Decode(byte[] bytes) => Cbor.Decode("meter proof message", bytes, r =>
    {
        const string what = "meter proof message";
        int? pairs = r.ReadStartMap();
        if (pairs is null or < 7 or > 9) throw new ChainFormatException($"{what}: a map of 7 to 9 keys");
        Cbor.ReadKey(r, 1, what); string chainId = r.ReadTextString();
        Cbor.ReadKey(r, 2, what); string meterId = r.ReadTextString();
        Cbor.ReadKey(r, 3, what); byte[] header = r.ReadByteString();
        Cbor.ReadKey(r, 4, what); byte[] certificate = r.ReadByteString();
        Cbor.ReadKey(r, 5, what);
        if (Cbor.ReadArrayHeader(r, what) != 4) throw new ChainFormatException($"{what}: key 5 is [value, index, size, path]");
        byte[] entry = r.ReadByteString();
        InclusionPath entryPath = ReadPosition(r);
        r.ReadEndArray();
        Cbor.ReadKey(r, 6, what);
        if (Cbor.ReadArrayHeader(r, what) != 4) throw new ChainFormatException($"{what}: key 6 is [balance, index, size, path]");
        long balance = r.ReadInt64();
        InclusionPath balancePath = ReadPosition(r);
        r.ReadEndArray();
        InclusionPath? reading = null;
        byte[]? nextSet = null;
        for (int i = 6; i < pairs - 1; i++)
        {
            ulong key = r.ReadUInt64();
            if (key == 7 && reading is null && nextSet is null)
            {
                if (Cbor.ReadArrayHeader(r, what) != 3) throw new ChainFormatException($"{what}: key 7 is [index, count, path]");
                reading = ReadPosition(r);
                r.ReadEndArray();
            }
            else if (key == 8 && nextSet is null)
            {
                nextSet = r.ReadByteString();
            }
            else
            {
                throw new ChainFormatException($"{what}: unexpected key {key}");
            }
        }
        Cbor.ReadKey(r, 9, what);
        if (Cbor.ReadArrayHeader(r, what) != 4) throw new ChainFormatException($"{what}: key 9 is [[intervalStart, price], index, size, path]");
        IntervalPrice price = IntervalPrice.Decode(r.ReadEncodedValue().ToArray());
        InclusionPath pricePath = ReadPosition(r);
        r.ReadEndArray();
        r.ReadEndMap();
        return new MeterProofMessage(chainId, meterId, header, certificate, entry, entryPath, balance, balancePath, reading, nextSet, price, pricePath);
    });

    private static void WritePosition(CborWriter w, InclusionPath path)
    {
        w.WriteInt32(path.Index);
        w.WriteInt32(path.TreeSize);
        w.WriteStartArray(path.Path.Count);
        foreach (byte[] hash in path.Path) w.WriteByteString(hash);
        w.WriteEndArray();
    }

    private static InclusionPath ReadPosition(CborReader r)
    {
        int index = r.ReadInt32();
        int size = r.ReadInt32();
        int count = r.ReadStartArray() ?? throw new ChainFormatException("meter proof message: definite-length path");
        var path = new byte[count][];
        for (int i = 0; i < count; i++) path[i] = r.ReadByteString();
        r.ReadEndArray();
        return new InclusionPath(index, size, path);
    }

    public override string ToString() =>
        $"meter={MeterId} balance={Balance} header={Header.Length}B certificate={Certificate.Length}B reading={(Reading is null ? "none" : Reading.Index.ToString(System.Globalization.CultureInfo.InvariantCulture))} set-change={NextValidatorSet is not null} price={Price.MinorPerKwh.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
