using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Tests.Support;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests.Transport;

public sealed class FrameReaderTests
{
    private const int MaxFrame = 4096;
    // Small, so frames straddle the buffer and the near-maximum one is larger than it.
    private const int BufferBytes = 256;

    /// <summary>Many small frames, one near the maximum, one of exactly the buffer size and empty payloads, interleaved.</summary>
    private static List<OutgoingMessage> MixedMessages()
    {
        var messages = new List<OutgoingMessage>();
        for (int i = 0; i < 40; i++)
        {
            int size = i switch
            {
                7 => MaxFrame - 1,
                13 => BufferBytes,
                19 => BufferBytes - FrameCodec.HeaderBytes - 1,
                _ => i % 5,
            };
            byte[] payload = new byte[size];
            for (int b = 0; b < size; b++)
            {
                payload[b] = (byte)(i * 31 + b);
            }
            messages.Add(new OutgoingMessage((byte)(1 + i % 3), payload));
        }
        return messages;
    }

    private static async Task<byte[]> EncodeAsync(IReadOnlyList<OutgoingMessage> messages)
    {
        using var stream = new MemoryStream();
        await FrameCodec.WriteBatchAsync(stream, messages, MaxFrame, CancellationToken.None);
        return stream.ToArray();
    }

    private static async Task<List<Frame>> ReadAllAsync(Stream stream, int bufferBytes = BufferBytes)
    {
        var reader = new FrameReader(stream, MaxFrame, bufferBytes);
        var frames = new List<Frame>();
        while (await reader.ReadAsync(CancellationToken.None) is { } frame)
        {
            frames.Add(frame);
        }
        return frames;
    }

    private static void AssertSameFrames(IReadOnlyList<OutgoingMessage> expected, IReadOnlyList<Frame> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Channel, actual[i].Channel);
            Assert.Equal(expected[i].Payload, actual[i].Payload);
        }
    }

    [Fact]
    public async Task A_batch_is_byte_for_byte_the_frames_written_one_by_one()
    {
        List<OutgoingMessage> messages = MixedMessages();
        using var oneByOne = new MemoryStream();
        foreach (OutgoingMessage message in messages)
        {
            await FrameCodec.WriteAsync(oneByOne, message.Channel, message.Payload, MaxFrame, CancellationToken.None);
        }
        Assert.Equal(oneByOne.ToArray(), await EncodeAsync(messages));
    }

    [Fact]
    public async Task A_batch_with_one_message_over_the_maximum_writes_nothing()
    {
        using var stream = new MemoryStream();
        OutgoingMessage[] messages = [new(1, [1]), new(1, new byte[MaxFrame])];
        await Assert.ThrowsAsync<ArgumentException>(async () => await FrameCodec.WriteBatchAsync(stream, messages, MaxFrame, CancellationToken.None));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public async Task Frames_arriving_together_in_one_read_are_all_read_in_order()
    {
        List<OutgoingMessage> messages = MixedMessages();
        AssertSameFrames(messages, await ReadAllAsync(new MemoryStream(await EncodeAsync(messages)), bufferBytes: 64 * 1024));
    }

    [Fact]
    public async Task Frame_boundaries_hold_wherever_the_stream_splits_the_bytes()
    {
        List<OutgoingMessage> messages = MixedMessages();
        byte[] bytes = await EncodeAsync(messages);
        for (int split = 1; split < bytes.Length; split++)
        {
            AssertSameFrames(messages, await ReadAllAsync(ChunkedStream.SplitAt(bytes, split)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(255)]
    [InlineData(257)]
    public async Task Frame_boundaries_hold_when_every_read_returns_a_few_bytes(int bytesPerRead)
    {
        List<OutgoingMessage> messages = MixedMessages();
        AssertSameFrames(messages, await ReadAllAsync(ChunkedStream.Every(await EncodeAsync(messages), bytesPerRead)));
    }

    [Fact]
    public async Task A_length_over_the_maximum_after_good_frames_is_refused_from_its_header_alone()
    {
        byte[] good = await EncodeAsync([new OutgoingMessage(1, [9, 9])]);
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1_500_000_000);
        // Only the header of the huge frame exists: a reader that allocated or waited for its body would not throw.
        var reader = new FrameReader(new MemoryStream([.. good, .. header]), MaxFrame, BufferBytes);

        Assert.Equal(new byte[] { 9, 9 }, (await reader.ReadAsync(CancellationToken.None))!.Value.Payload);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = await Assert.ThrowsAsync<PeerProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Contains($"frame of 1500000000 bytes exceeds the maximum of {MaxFrame}", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public async Task A_frame_one_byte_over_the_maximum_is_refused()
    {
        byte[] bytes = new byte[4 + MaxFrame + 1];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, MaxFrame + 1);
        var reader = new FrameReader(new MemoryStream(bytes), MaxFrame, BufferBytes);
        var error = await Assert.ThrowsAsync<PeerProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
        Assert.Contains("exceeds the maximum", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "empty frame")]
    [InlineData(new byte[] { 0, 0 }, "inside a frame header")]
    [InlineData(new byte[] { 0, 0, 0, 1 }, "inside a frame")]
    [InlineData(new byte[] { 0, 0, 0, 9, 1, 2 }, "inside a frame")]
    [InlineData(new byte[] { 0, 0, 0, 2, 1, 5, 0, 0, 1, 0, 1, 2, 3 }, "inside a frame")]
    public async Task Broken_frames_are_protocol_errors_even_when_split_byte_by_byte(byte[] bytes, string reason)
    {
        var reader = new FrameReader(ChunkedStream.Every(bytes, 1), MaxFrame, BufferBytes);
        var error = await Assert.ThrowsAsync<PeerProtocolException>(async () =>
        {
            while (await reader.ReadAsync(CancellationToken.None) is not null)
            {
            }
        });
        Assert.Contains(reason, error.Message);
    }
}
