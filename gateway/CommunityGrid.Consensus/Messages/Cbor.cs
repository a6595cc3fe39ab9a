using System;
using System.Formats.Cbor;
using CommunityGrid.Formats;

namespace CommunityGrid.Consensus.Messages;

/// <summary>
/// Deterministic CBOR (RFC 8949 §4.2.1, canonical mode of System.Formats.Cbor) for the consensus formats.
/// Decoding is strict: a message is accepted only if re-encoding what was read gives the same bytes,
/// so every accepted message has exactly one encoding (and one id).
/// </summary>
internal static class Cbor
{
    public const CborConformanceMode Mode = CborConformanceMode.Canonical;

    /// <summary>The domain-separation tag first in every signed consensus structure.</summary>
    public const string DomainTag = "communitygrid/consensus/v1";

    public static CborWriter Writer() => new(Mode);

    public static T Decode<T>(string what, ReadOnlyMemory<byte> bytes, Func<CborReader, T> read, Func<T, byte[]> encode)
    {
        // The thread's reused reader (votes and proposals arrive from every validator each round): see ReusableCborReaders.
        CborReader reader = ReusableCborReaders.Rent(bytes, Mode);
        T value;
        int remaining;
        try
        {
            value = read(reader);
            remaining = reader.BytesRemaining;
        }
        catch (CborContentException e)
        {
            throw new ConsensusFormatException($"{what}: not deterministic CBOR near byte {bytes.Length - reader.BytesRemaining}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ConsensusFormatException($"{what}: unexpected CBOR structure near byte {bytes.Length - reader.BytesRemaining}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new ConsensusFormatException($"{what}: {e.Message}", e);
        }
        finally
        {
            ReusableCborReaders.Return(reader);
        }
        if (remaining != 0)
        {
            throw new ConsensusFormatException($"{what}: {remaining} trailing byte(s)");
        }
        if (!encode(value).AsSpan().SequenceEqual(bytes.Span))
        {
            throw new ConsensusFormatException($"{what}: not the deterministic encoding of its contents");
        }
        return value;
    }

    public static void ExpectArray(CborReader reader, int length, string what)
    {
        int? actual = reader.ReadStartArray();
        if (actual != length)
        {
            throw new ConsensusFormatException($"{what}: expected an array of {length} items, found {actual?.ToString() ?? "an indefinite array"}");
        }
    }

    public static long ReadHeight(CborReader reader)
    {
        ulong height = reader.ReadUInt64();
        if (height < 1 || height > long.MaxValue) throw new ConsensusFormatException($"height {height} out of range 1..2^63-1");
        return (long)height;
    }

    public static int ReadRound(CborReader reader)
    {
        ulong round = reader.ReadUInt64();
        if (round > int.MaxValue) throw new ConsensusFormatException($"round {round} out of range 0..2^31-1");
        return (int)round;
    }

    public static void WriteBlockIdOrNil(CborWriter writer, BlockId? id)
    {
        if (id is null) writer.WriteNull(); else writer.WriteByteString(id.Bytes);
    }

    public static BlockId? ReadBlockIdOrNil(CborReader reader)
    {
        if (reader.PeekState() == CborReaderState.Null)
        {
            reader.ReadNull();
            return null;
        }
        return new BlockId(reader.ReadByteString());
    }

    public static byte[] ReadFixedBytes(CborReader reader, int size, string what)
    {
        byte[] bytes = reader.ReadByteString();
        if (bytes.Length != size) throw new ConsensusFormatException($"{what} must be {size} bytes, found {bytes.Length}");
        return bytes;
    }
}
