using System;
using System.Formats.Cbor;
using System.Linq;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Node.Proofs;

namespace CommunityGrid.Node.Tests.Proofs;

/// <summary>
/// <see cref="MeterProofMessage.Encode"/> writes with the thread's reused writer, keys in ascending order: its bytes must be
/// those of the canonical writer (docs/protocol.md §7.6, deterministic CBOR) with every optional key present, and a
/// message encoded after another (a longer one first, as the writer is reused) must not carry anything of it.
/// </summary>
public sealed class MeterProofMessageEncodingTests
{
    [Fact]
    public void With_every_optional_key_the_bytes_are_the_canonical_writers()
    {
        MeterProofMessage message = Message("meter-0002", pathLength: 12, withReading: true, withNextSet: true);
        byte[] encoded = message.Encode();
        Assert.Equal(Convert.ToHexStringLower(Canonical(encoded)), Convert.ToHexStringLower(encoded));
        Assert.Equal(encoded, MeterProofMessage.Decode(encoded).Encode());
        Assert.Equal(9, new CborReader(encoded).ReadStartMap());
    }

    [Fact]
    public void A_shorter_message_after_a_longer_one_on_the_same_thread_is_encoded_alone()
    {
        MeterProofMessage longer = Message("meter-0003", pathLength: 14, withReading: true, withNextSet: true);
        MeterProofMessage shorter = Message("m4", pathLength: 2, withReading: false, withNextSet: false);
        byte[] first = shorter.Encode();
        longer.Encode();
        byte[] again = shorter.Encode();
        Assert.Equal(first, again);
        Assert.Equal(Convert.ToHexStringLower(Canonical(again)), Convert.ToHexStringLower(again));
        Assert.Equal(shorter.ToString(), MeterProofMessage.Decode(again).ToString());
    }

    private static MeterProofMessage Message(string meterId, int pathLength, bool withReading, bool withNextSet)
    {
        byte[][] Path(byte seed) => Enumerable.Range(0, pathLength).Select(i => Enumerable.Repeat((byte)(seed + i), 32).ToArray()).ToArray();
        return new MeterProofMessage("communitygrid-test", meterId, Enumerable.Repeat((byte)0xa1, 150).ToArray(), Enumerable.Repeat((byte)0xb2, 110).ToArray(),
            Enumerable.Repeat((byte)0xc3, 60).ToArray(), new InclusionPath(5, 4000, Path(1)), -98_765, new InclusionPath(6, 4000, Path(40)),
            withReading ? new InclusionPath(1999, 2000, Path(80)) : null, withNextSet ? Enumerable.Repeat((byte)0xd4, 90).ToArray() : null,
            new IntervalPrice(1_780_000_200, 23), new InclusionPath(3999, 4000, Path(120)));
    }

    /// <summary>The same data items written again by a canonical writer, which sorts map keys and checks every item.</summary>
    private static byte[] Canonical(byte[] encoded)
    {
        var reader = new CborReader(encoded, CborConformanceMode.Lax);
        var writer = new CborWriter(CborConformanceMode.Canonical, convertIndefiniteLengthEncodings: false);
        Copy(reader, writer);
        Assert.Equal(0, reader.BytesRemaining);
        return writer.Encode();
    }

    private static void Copy(CborReader r, CborWriter w)
    {
        switch (r.PeekState())
        {
            case CborReaderState.StartMap:
                int pairs = r.ReadStartMap() ?? throw new InvalidOperationException("indefinite map");
                w.WriteStartMap(pairs);
                for (int i = 0; i < 2 * pairs; i++) Copy(r, w);
                r.ReadEndMap();
                w.WriteEndMap();
                break;
            case CborReaderState.StartArray:
                int items = r.ReadStartArray() ?? throw new InvalidOperationException("indefinite array");
                w.WriteStartArray(items);
                for (int i = 0; i < items; i++) Copy(r, w);
                r.ReadEndArray();
                w.WriteEndArray();
                break;
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                w.WriteInt64(r.ReadInt64());
                break;
            case CborReaderState.ByteString:
                w.WriteByteString(r.ReadByteString());
                break;
            case CborReaderState.TextString:
                w.WriteTextString(r.ReadTextString());
                break;
            default:
                throw new InvalidOperationException($"unexpected {r.PeekState()}");
        }
    }
}
