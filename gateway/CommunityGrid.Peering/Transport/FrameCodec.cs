using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// Frames on the (TLS) stream: a 4-byte big-endian length of what follows, then the channel byte, then the payload.
/// The length is checked against the maximum before a buffer is allocated, so a peer cannot make this node
/// allocate more than <c>maxFrameBytes</c> for one frame (docs/peering.md, "Frames").
/// </summary>
internal static class FrameCodec
{
    public const int HeaderBytes = 4;

    public static async ValueTask WriteAsync(Stream stream, byte channel, ReadOnlyMemory<byte> payload, int maxFrameBytes, CancellationToken cancellationToken)
    {
        int frameLength = payload.Length + 1;
        if (frameLength > maxFrameBytes)
        {
            throw new ArgumentException($"a message of {payload.Length} bytes does not fit the maximum frame of {maxFrameBytes} bytes");
        }
        int total = HeaderBytes + frameLength;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)frameLength);
            buffer[HeaderBytes] = channel;
            payload.Span.CopyTo(buffer.AsSpan(HeaderBytes + 1));
            await stream.WriteAsync(buffer.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes every message as its own frame, in order, through one buffer and one write: one TLS write and one
    /// wake-up of the peer's reader for a whole batch instead of one per frame. The bytes are the same as writing the
    /// frames one by one.
    /// </summary>
    public static async ValueTask WriteBatchAsync(Stream stream, IReadOnlyList<OutgoingMessage> messages, int maxFrameBytes, CancellationToken cancellationToken)
    {
        int total = 0;
        foreach (OutgoingMessage message in messages)
        {
            if (message.Payload.Length + 1 > maxFrameBytes)
            {
                throw new ArgumentException($"a message of {message.Payload.Length} bytes does not fit the maximum frame of {maxFrameBytes} bytes");
            }
            total = checked(total + HeaderBytes + 1 + message.Payload.Length);
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            int offset = 0;
            foreach (OutgoingMessage message in messages)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(offset), (uint)(message.Payload.Length + 1));
                buffer[offset + HeaderBytes] = message.Channel;
                message.Payload.CopyTo(buffer.AsSpan(offset + HeaderBytes + 1));
                offset += HeaderBytes + 1 + message.Payload.Length;
            }
            await stream.WriteAsync(buffer.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one frame; null when the stream ended cleanly between frames.</summary>
    public static async ValueTask<Frame?> ReadAsync(Stream stream, int maxFrameBytes, CancellationToken cancellationToken)
    {
        byte[] header = new byte[HeaderBytes];
        int got = await ReadUpToAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }
        if (got < HeaderBytes)
        {
            throw new PeerProtocolException("connection ended inside a frame header");
        }
        uint frameLength = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (frameLength == 0)
        {
            throw new PeerProtocolException("empty frame: every frame carries at least its channel byte");
        }
        if (frameLength > (uint)maxFrameBytes)
        {
            throw new PeerProtocolException($"frame of {frameLength} bytes exceeds the maximum of {maxFrameBytes}");
        }
        byte[] channel = new byte[1];
        await ReadExactAsync(stream, channel, cancellationToken).ConfigureAwait(false);
        byte[] payload = new byte[frameLength - 1];
        await ReadExactAsync(stream, payload, cancellationToken).ConfigureAwait(false);
        return new Frame(channel[0], payload);
    }

    private static async ValueTask ReadExactAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        if (await ReadUpToAsync(stream, buffer, cancellationToken).ConfigureAwait(false) < buffer.Length)
        {
            throw new PeerProtocolException("connection ended inside a frame");
        }
    }

    private static async ValueTask<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int offset = 0;
        while (offset < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(offset), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            offset += read;
        }
        return offset;
    }
}
