using System;
using System.Diagnostics;
using System.IO.Ports;
using CommunityGrid.Meter.Linux.Serial;
using CommunityGrid.Meter.Linux.Tests.ModbusPeer;

namespace CommunityGrid.Meter.Linux.Tests.Serial;

public sealed class SerialPortLinkTests : IDisposable
{
    private readonly PeerLab _lab = new();

    public void Dispose() => _lab.Dispose();

    [Fact]
    public void Bytes_cross_a_pty_pair_in_both_directions()
    {
        var (a, b) = _lab.StartPtyPair("line");
        using var left = new SerialPortLink(a, 9600, Parity.None, StopBits.One);
        using var right = new SerialPortLink(b, 9600, Parity.None, StopBits.One);

        left.Write(new byte[] { 0, 1, 2, 0xFF, 0x0A, 0x0D }, 0, 6); // raw: no newline translation
        byte[] received = ReadExactly(right, 6);
        Assert.Equal(new byte[] { 0, 1, 2, 0xFF, 0x0A, 0x0D }, received);

        right.Write(new byte[] { 9, 8, 7 }, 1, 2);
        Assert.Equal(new byte[] { 8, 7 }, ReadExactly(left, 2));
    }

    [Fact]
    public void Silence_is_zero_bytes_after_the_timeout_not_an_exception()
    {
        var (a, _) = _lab.StartPtyPair("line");
        using var link = new SerialPortLink(a, 9600, Parity.None, StopBits.One);
        var watch = Stopwatch.StartNew();

        Assert.Equal(0, link.Read(new byte[8], 0, 8, 150));

        Assert.InRange(watch.ElapsedMilliseconds, 100, 5_000);
    }

    private static byte[] ReadExactly(SerialPortLink link, int count)
    {
        byte[] buffer = new byte[count];
        int got = 0;
        for (int attempt = 0; attempt < 50 && got < count; attempt++)
        {
            got += link.Read(buffer, got, count - got, 100);
        }
        Assert.Equal(count, got);
        return buffer;
    }
}
