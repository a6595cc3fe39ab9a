using System;
using System.Formats.Cbor;
using CommunityGrid.Formats;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// Digs the sequence number out of a reading that failed strict decoding, only so its rejection can be
/// acknowledged: the meter matches acks to its queue by sequence. Nothing read here is trusted or stored.
/// It also runs before every reading is decoded (the mempool's capacity check), so it reads with the thread's reused
/// readers and looks at the payload in place instead of copying it.
/// </summary>
public static class LenientReadingPeek
{
    private const ulong SequenceKey = 3;

    /// <summary>The payload's key 3 when it is an integer ≥ 1, else null (then the message is only counted and logged).</summary>
    public static long? TrySequence(byte[] message)
    {
        CborReader cose = ReusableCborReaders.Rent(message, CborConformanceMode.Lax);
        CborReader? payload = null;
        try
        {
            if (cose.PeekState() == CborReaderState.Tag) cose.ReadTag();
            if (cose.ReadStartArray() is not >= 3) return null;
            cose.SkipValue();
            cose.SkipValue();
            // An indefinite-length payload has no single slice to read in place: its chunks are joined in a copy, as before.
            ReadOnlyMemory<byte> inner = cose.PeekState() == CborReaderState.StartIndefiniteLengthByteString
                ? cose.ReadByteString()
                : cose.ReadDefiniteLengthByteString();
            payload = ReusableCborReaders.Rent(inner, CborConformanceMode.Lax);
            int? pairs = payload.ReadStartMap();
            for (int i = 0; pairs is null || i < pairs; i++)
            {
                if (payload.PeekState() == CborReaderState.EndMap) return null;
                ulong? key = null;
                if (payload.PeekState() == CborReaderState.UnsignedInteger) key = payload.ReadUInt64();
                else payload.SkipValue();
                if (key == SequenceKey && payload.PeekState() == CborReaderState.UnsignedInteger)
                {
                    ulong sequence = payload.ReadUInt64();
                    return sequence is >= 1 and <= long.MaxValue ? (long)sequence : null;
                }
                payload.SkipValue();
            }
            return null;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            return null;
        }
        finally
        {
            if (payload is not null) ReusableCborReaders.Return(payload);
            ReusableCborReaders.Return(cose);
        }
    }
}
