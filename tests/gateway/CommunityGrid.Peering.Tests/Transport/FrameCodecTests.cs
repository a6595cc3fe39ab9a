using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests.Transport;

public sealed class FrameCodecTests
{
    [Fact]
    public async Task A_written_frame_reads_back_with_its_channel_and_payload()
    {
        using var stream = new MemoryStream();
        byte[] payload = [1, 2, 3, 250];
        await FrameCodec.WriteAsync(stream, 7, payload, 1024, CancellationToken.None);
        Assert.Equal([0, 0, 0, 5, 7, 1, 2, 3, 250], stream.ToArray());

        stream.Position = 0;
        Frame? frame = await FrameCodec.ReadAsync(stream, 1024, CancellationToken.None);
        Assert.NotNull(frame);
        Assert.Equal(7, frame.Value.Channel);
        Assert.Equal(payload, frame.Value.Payload);
        Assert.Null(await FrameCodec.ReadAsync(stream, 1024, CancellationToken.None));
    }

    [Fact]
    public async Task A_length_over_the_maximum_is_refused_from_the_header_alone_without_allocating_it()
    {
        // Only the 4 header bytes exist: a reader that allocated or waited for the body would not throw this.
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, 1_500_000_000);
        using var stream = new MemoryStream(header);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<PeerProtocolException>(async () => await FrameCodec.ReadAsync(stream, 4096, CancellationToken.None));

        Assert.Contains("frame of 1500000000 bytes exceeds the maximum of 4096", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public async Task A_frame_of_exactly_the_maximum_is_accepted()
    {
        using var stream = new MemoryStream();
        await FrameCodec.WriteAsync(stream, 1, new byte[4095], 4096, CancellationToken.None);
        stream.Position = 0;
        Frame? frame = await FrameCodec.ReadAsync(stream, 4096, CancellationToken.None);
        Assert.Equal(4095, frame!.Value.Payload.Length);
    }

    [Fact]
    public async Task Writing_a_payload_over_the_maximum_is_a_caller_error()
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(async () => await FrameCodec.WriteAsync(stream, 1, new byte[4096], 4096, CancellationToken.None));
        Assert.Equal(0, stream.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "empty frame")]
    [InlineData(new byte[] { 0, 0 }, "inside a frame header")]
    [InlineData(new byte[] { 0, 0, 0, 9, 1, 2 }, "inside a frame")]
    public async Task Broken_frames_are_protocol_errors(byte[] bytes, string reason)
    {
        using var stream = new MemoryStream(bytes);
        var error = await Assert.ThrowsAsync<PeerProtocolException>(async () => await FrameCodec.ReadAsync(stream, 4096, CancellationToken.None));
        Assert.Contains(reason, error.Message);
    }
}
