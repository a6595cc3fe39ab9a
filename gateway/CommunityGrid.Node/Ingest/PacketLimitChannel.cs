using System;
using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet.Channel;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// A client's byte stream as MQTTnet reads it, with the MQTT framing (MQTT 5 §2.1.4: one header byte, then the
/// remaining length as a variable byte integer) followed on the way in. MQTTnet allocates a packet's whole body as
/// soon as it has read the remaining length, so the length is judged here, before MQTTnet sees its last byte: a
/// packet above the limit closes the connection instead (the first packet, CONNECT, has a smaller limit than the
/// rest). A connection whose CONNECT is not complete by the deadline is closed too.
/// </summary>
internal sealed class PacketLimitChannel : IMqttChannel
{
    private readonly IMqttChannel inner;
    private readonly BrokerLimits limits;
    private readonly Action<string> refused;
    private readonly Timer connectDeadline;
    private int packetsCompleted;
    private int lengthBytesSeen;
    private long remainingLength;
    private long bodyLeft = -1;
    private int closed;

    /// <param name="refused">Told why, once, when this channel closes a connection.</param>
    public PacketLimitChannel(IMqttChannel inner, BrokerLimits limits, Action<string> refused)
    {
        this.inner = inner;
        this.limits = limits;
        this.refused = refused;
        connectDeadline = new Timer(_ => Close($"no complete CONNECT within {limits.ConnectTimeout.TotalSeconds:0.#} s"), null, limits.ConnectTimeout, Timeout.InfiniteTimeSpan);
    }

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref closed) != 0) return 0;
        int read = await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < read; i++)
        {
            string? problem = Follow(buffer[offset + i]);
            if (problem is not null)
            {
                Close(problem);
                // End of stream: MQTTnet treats it as the client going away and never sees the oversized length.
                return 0;
            }
        }
        return read;
    }

    /// <returns>Why the connection must close, or null.</returns>
    private string? Follow(byte b)
    {
        if (bodyLeft > 0)
        {
            if (--bodyLeft == 0) PacketDone();
            return null;
        }
        if (bodyLeft < 0)
        {
            // The header byte of a new packet.
            bodyLeft = 0;
            lengthBytesSeen = 0;
            remainingLength = 0;
            return null;
        }
        remainingLength |= (long)(b & 0x7f) << (7 * lengthBytesSeen);
        lengthBytesSeen++;
        if ((b & 0x80) != 0)
        {
            return lengthBytesSeen == 4 ? "a remaining length longer than 4 bytes (MQTT 5 §1.5.5)" : null;
        }
        bool first = Volatile.Read(ref packetsCompleted) == 0;
        int limit = first ? limits.MaxConnectPacketBytes : limits.MaxPacketBytes;
        if (remainingLength > limit)
        {
            return first
                ? $"a first packet (CONNECT, before login) of {remainingLength} bytes; the limit is {limit}"
                : $"a packet of {remainingLength} bytes; the limit is {limit}";
        }
        bodyLeft = remainingLength;
        if (bodyLeft == 0) PacketDone();
        return null;
    }

    private void PacketDone()
    {
        bodyLeft = -1;
        if (Interlocked.Increment(ref packetsCompleted) == 1) connectDeadline.Change(Timeout.Infinite, Timeout.Infinite);
    }

    private void Close(string why)
    {
        if (Interlocked.Exchange(ref closed, 1) != 0) return;
        connectDeadline.Change(Timeout.Infinite, Timeout.Infinite);
        refused(why);
        // Closing the socket ends a read that is waiting for bytes which may never come (an idle or slow client).
        inner.Dispose();
    }

    public void Dispose()
    {
        connectDeadline.Dispose();
        inner.Dispose();
    }
}
