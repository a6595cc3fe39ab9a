using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering.Tests.Support;

/// <summary>
/// A read-only stream over fixed bytes whose first read returns at most <c>firstRead</c> bytes and every later one at
/// most <c>laterReads</c>, as a TLS stream returns a record or part of one at a time.
/// </summary>
internal sealed class ChunkedStream : Stream
{
    private readonly byte[] bytes;
    private readonly int firstRead;
    private readonly int laterReads;
    private int position;
    private int reads;

    public ChunkedStream(byte[] bytes, int firstRead, int laterReads)
    {
        this.bytes = bytes;
        this.firstRead = firstRead;
        this.laterReads = laterReads;
    }

    public static ChunkedStream SplitAt(byte[] bytes, int split) => new(bytes, split, int.MaxValue);

    public static ChunkedStream Every(byte[] bytes, int bytesPerRead) => new(bytes, bytesPerRead, bytesPerRead);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int limit = reads++ == 0 ? firstRead : laterReads;
        int count = Math.Min(Math.Min(limit, buffer.Length), bytes.Length - position);
        bytes.AsSpan(position, count).CopyTo(buffer);
        position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
