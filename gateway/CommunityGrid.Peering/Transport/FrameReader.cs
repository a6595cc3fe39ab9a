using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Transport;

/// <summary>
/// Reads the frames of one connection (format in <see cref="FrameCodec"/>) through a buffer that takes whatever the
/// stream has, so one read of the TLS stream yields as many frames as arrived together instead of three reads per
/// frame. A frame's length is still checked against the maximum before its payload is allocated (docs/peering.md,
/// "Frames"); the buffer itself never grows.
/// </summary>
internal sealed class FrameReader
{
    public const int DefaultBufferBytes = 64 * 1024;

    private readonly Stream stream;
    private readonly int maxFrameBytes;
    private readonly byte[] buffer;
    private int start;
    private int end;

    public FrameReader(Stream stream, int maxFrameBytes, int bufferBytes = DefaultBufferBytes)
    {
        if (bufferBytes < FrameCodec.HeaderBytes + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferBytes), bufferBytes, "the buffer must hold at least a frame header and its channel byte");
        }
        this.stream = stream;
        this.maxFrameBytes = maxFrameBytes;
        buffer = new byte[bufferBytes];
    }

    private int Buffered => end - start;

    /// <summary>Reads one frame; null when the stream ended cleanly between frames.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(FrameCodec.HeaderBytes, cancellationToken).ConfigureAwait(false))
        {
            if (Buffered == 0)
            {
                return null;
            }
            throw new PeerProtocolException("connection ended inside a frame header");
        }
        uint frameLength = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(start, FrameCodec.HeaderBytes));
        if (frameLength == 0)
        {
            throw new PeerProtocolException("empty frame: every frame carries at least its channel byte");
        }
        if (frameLength > (uint)maxFrameBytes)
        {
            throw new PeerProtocolException($"frame of {frameLength} bytes exceeds the maximum of {maxFrameBytes}");
        }
        start += FrameCodec.HeaderBytes;
        if (!await FillAsync(1, cancellationToken).ConfigureAwait(false))
        {
            throw new PeerProtocolException("connection ended inside a frame");
        }
        byte channel = buffer[start++];
        byte[] payload = new byte[frameLength - 1];
        await ReadPayloadAsync(payload, cancellationToken).ConfigureAwait(false);
        return new Frame(channel, payload);
    }

    private async ValueTask ReadPayloadAsync(byte[] payload, CancellationToken cancellationToken)
    {
        int offset = 0;
        while (offset < payload.Length)
        {
            int remaining = payload.Length - offset;
            if (Buffered == 0 && remaining >= buffer.Length / 2)
            {
                // A large payload goes straight into its own array rather than through the buffer.
                int direct = await stream.ReadAsync(payload.AsMemory(offset), cancellationToken).ConfigureAwait(false);
                if (direct == 0)
                {
                    throw new PeerProtocolException("connection ended inside a frame");
                }
                offset += direct;
                continue;
            }
            if (Buffered == 0 && !await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                throw new PeerProtocolException("connection ended inside a frame");
            }
            int take = Math.Min(remaining, Buffered);
            buffer.AsSpan(start, take).CopyTo(payload.AsSpan(offset));
            start += take;
            offset += take;
        }
    }

    /// <summary>Reads until at least <paramref name="needed"/> bytes are buffered; false if the stream ends first.</summary>
    private async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (Buffered >= needed)
        {
            return true;
        }
        if (start > 0)
        {
            buffer.AsSpan(start, Buffered).CopyTo(buffer);
            end = Buffered;
            start = 0;
        }
        while (end < needed)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }
            end += read;
        }
        return true;
    }
}
