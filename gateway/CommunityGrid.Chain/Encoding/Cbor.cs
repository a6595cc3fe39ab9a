using System;
using System.Formats.Cbor;
using CommunityGrid.Formats;

namespace CommunityGrid.Chain.Encoding;

/// <summary>
/// Canonical CBOR for everything the chain hashes or signs. Every map in the chain's formats has small unsigned
/// integer keys (0..23), for which RFC 7049 canonical order (<see cref="CborConformanceMode.Canonical"/>) and
/// RFC 8949 §4.2.1 bytewise order coincide, so these bytes are the protocol's deterministic encoding.
/// </summary>
public static class Cbor
{
    public const CborConformanceMode Mode = CborConformanceMode.Canonical;

    /// <remarks>
    /// Starts at 256 bytes instead of CborWriter's 1 KiB: most items written per reading (state entries, records, leaves)
    /// are far smaller, and a larger one (a block body) grows the buffer as before. The size never changes the bytes.
    /// </remarks>
    public static CborWriter Writer() => Writer(256);

    /// <summary>A writer whose buffer starts at <paramref name="initialCapacity"/> bytes, for an item whose size is known ahead (a block body).</summary>
    public static CborWriter Writer(int initialCapacity) =>
        new(Mode, convertIndefiniteLengthEncodings: false, allowMultipleRootLevelValues: false, initialCapacity: initialCapacity);

    [ThreadStatic]
    private static CborWriter? reusable;

    /// <summary>
    /// This thread's writer for one small item at a time (a state record, a leaf head), reset and ready; the caller
    /// encodes its item before asking for the writer again. It does not sort map keys: the caller writes them in
    /// ascending order, so the bytes are those of <see cref="Writer"/> (integers and lengths take their shortest form
    /// in every mode), without the canonical writer's sorting and duplicate-key bookkeeping or a new buffer per item
    /// (issue 18; TypedStateRecordsTests compare the two).
    /// </summary>
    public static CborWriter ReusedWriterKeysInOrder()
    {
        CborWriter w = reusable ??= new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false, allowMultipleRootLevelValues: false, initialCapacity: 256);
        w.Reset();
        return w;
    }

    /// <summary>Decodes with <paramref name="read"/>, turning any CBOR error or trailing bytes into a <see cref="ChainFormatException"/>.</summary>
    public static T Decode<T>(string what, ReadOnlyMemory<byte> bytes, Func<CborReader, T> read)
    {
        // A reader reused across decodes (ReusableCborReaders); read must not keep it, as it could not before either: every byte is read here.
        CborReader reader = ReusableCborReaders.Rent(bytes, Mode);
        try
        {
            T result = read(reader);
            if (reader.BytesRemaining != 0)
            {
                throw new ChainFormatException($"{what}: {reader.BytesRemaining} trailing byte(s) after the item");
            }
            return result;
        }
        catch (CborContentException e)
        {
            throw new ChainFormatException($"{what}: not canonical CBOR at byte {bytes.Length - reader.BytesRemaining}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ChainFormatException($"{what}: unexpected CBOR structure at byte {bytes.Length - reader.BytesRemaining}: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new ChainFormatException($"{what}: integer out of range at byte {bytes.Length - reader.BytesRemaining}", e);
        }
        finally
        {
            ReusableCborReaders.Return(reader);
        }
    }

    public static ulong ReadKey(CborReader reader, ulong expected, string what)
    {
        ulong key = reader.ReadUInt64();
        if (key != expected) throw new ChainFormatException($"{what}: expected key {expected}, found key {key}");
        return key;
    }

    /// <summary>An unsigned integer that must fit a non-negative int64 (all counters, registers and amounts).</summary>
    public static long ReadNonNegative(CborReader reader, string what)
    {
        ulong value = reader.ReadUInt64();
        if (value > long.MaxValue) throw new ChainFormatException($"{what}: {value} exceeds 2^63-1");
        return (long)value;
    }

    public static byte[] ReadBytes(CborReader reader, int length, string what)
    {
        byte[] value = reader.ReadByteString();
        if (value.Length != length) throw new ChainFormatException($"{what}: must be {length} bytes, got {value.Length}");
        return value;
    }

    public static int ReadMapHeader(CborReader reader, int expectedPairs, string what)
    {
        int? pairs = reader.ReadStartMap();
        if (pairs != expectedPairs) throw new ChainFormatException($"{what}: must be a map of {expectedPairs} entries, got {pairs?.ToString() ?? "indefinite"}");
        return expectedPairs;
    }

    public static int ReadArrayHeader(CborReader reader, string what)
    {
        int? length = reader.ReadStartArray();
        return length ?? throw new ChainFormatException($"{what}: indefinite-length array");
    }
}
