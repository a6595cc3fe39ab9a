using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.State;

/// <summary>An enrolled meter and what the chain last accepted from it. LastSequence 0 means no reading yet.</summary>
public sealed record MeterRecord(
    byte[] PublicKey, string HouseId, MeterRole Role, long LastSequence, long LastIntervalStart,
    long ImportWh, long ExportWh, long PvWh)
{
    public byte[] Encode()
    {
        // Keys 1..8 written in ascending order: the canonical bytes (chain.md §3) without the canonical writer's sort.
        CborWriter w = Cbor.ReusedWriterKeysInOrder();
        w.WriteStartMap(8);
        w.WriteInt32(1); w.WriteByteString(PublicKey);
        w.WriteInt32(2); w.WriteTextString(HouseId);
        w.WriteInt32(3); w.WriteInt32((int)Role);
        w.WriteInt32(4); w.WriteInt64(LastSequence);
        w.WriteInt32(5); w.WriteInt64(LastIntervalStart);
        w.WriteInt32(6); w.WriteInt64(ImportWh);
        w.WriteInt32(7); w.WriteInt64(ExportWh);
        w.WriteInt32(8); w.WriteInt64(PvWh);
        w.WriteEndMap();
        return w.Encode();
    }

    public static MeterRecord Decode(byte[] bytes) => Cbor.Decode("meter record", bytes, r =>
    {
        const string what = "meter record";
        Cbor.ReadMapHeader(r, 8, what);
        Cbor.ReadKey(r, 1, what); byte[] key = Cbor.ReadBytes(r, AdminPayload.KeySize, what);
        Cbor.ReadKey(r, 2, what); string house = r.ReadTextString();
        Cbor.ReadKey(r, 3, what); var role = (MeterRole)r.ReadInt32();
        Cbor.ReadKey(r, 4, what); long sequence = r.ReadInt64();
        Cbor.ReadKey(r, 5, what); long interval = r.ReadInt64();
        Cbor.ReadKey(r, 6, what); long import = r.ReadInt64();
        Cbor.ReadKey(r, 7, what); long export = r.ReadInt64();
        Cbor.ReadKey(r, 8, what); long pv = r.ReadInt64();
        r.ReadEndMap();
        return new MeterRecord(key, house, role, sequence, interval, import, export, pv);
    });
}

/// <summary>Connection-point energy accumulated for one house in one not-yet-closed interval.</summary>
public sealed record PendingEnergy(long ImportWh, long ExportWh)
{
    public byte[] Encode() => StateValues.EncodePair(ImportWh, ExportWh);

    public static PendingEnergy Decode(byte[] bytes)
    {
        (long import, long export) = StateValues.DecodePair(bytes, "pending energy");
        return new PendingEnergy(import, export);
    }
}

/// <summary>Encodings of the scalar state values.</summary>
public static class StateValues
{
    public static byte[] EncodeInt(long value)
    {
        CborWriter w = Cbor.ReusedWriterKeysInOrder();
        w.WriteInt64(value);
        return w.Encode();
    }

    public static long DecodeInt(byte[] bytes, string what) => Cbor.Decode(what, bytes, r => r.ReadInt64());

    public static byte[] EncodeText(string value)
    {
        CborWriter w = Cbor.Writer();
        w.WriteTextString(value);
        return w.Encode();
    }

    public static string DecodeText(byte[] bytes, string what) => Cbor.Decode(what, bytes, r => r.ReadTextString());

    public static byte[] EncodeBytes(byte[] value)
    {
        CborWriter w = Cbor.Writer();
        w.WriteByteString(value);
        return w.Encode();
    }

    public static byte[] DecodeBytes(byte[] bytes, string what) => Cbor.Decode(what, bytes, r => r.ReadByteString());

    public static byte[] EncodePair(long first, long second)
    {
        CborWriter w = Cbor.ReusedWriterKeysInOrder();
        w.WriteStartArray(2);
        w.WriteInt64(first);
        w.WriteInt64(second);
        w.WriteEndArray();
        return w.Encode();
    }

    public static (long First, long Second) DecodePair(byte[] bytes, string what) => Cbor.Decode(what, bytes, r =>
    {
        if (Cbor.ReadArrayHeader(r, what) != 2) throw new ChainFormatException($"{what}: must be a pair");
        long first = r.ReadInt64();
        long second = r.ReadInt64();
        r.ReadEndArray();
        return (first, second);
    });

    /// <summary>The value of role entries, whose presence is what counts.</summary>
    public static byte[] True()
    {
        CborWriter w = Cbor.Writer();
        w.WriteBoolean(true);
        return w.Encode();
    }
}
