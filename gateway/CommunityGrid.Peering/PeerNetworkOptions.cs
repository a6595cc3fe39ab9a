using System;
using System.Collections.Generic;
using System.Net;

namespace CommunityGrid.Peering;

/// <summary>
/// Settings of one node's peer network. Defaults suit street gateways on a LAN or a city network; tests shorten
/// the timeouts. Every queue and buffer is bounded by one of these numbers (docs/peering.md, "Bounds").
/// </summary>
public sealed record PeerNetworkOptions
{
    /// <summary>The community id, which is also the chain id: both ends must name the same one.</summary>
    public required string ChainId { get; init; }

    /// <summary>Where to listen; null: the address the validator set names for this node's key.</summary>
    public IPEndPoint? ListenEndPoint { get; init; }

    /// <summary>
    /// Local address this node's outgoing connections start from; null: the system's choice. Lets a relay in front of
    /// a gateway tell its dialers apart, e.g. one 127.0.0.x per gateway in partition tests of real processes.
    /// </summary>
    public IPAddress? DialFrom { get; init; }

    /// <summary>Largest frame (channel byte + payload) accepted or sent; checked before anything is allocated.</summary>
    public int MaxFrameBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Per peer: bytes waiting to be sent, over all channels.</summary>
    public long SendQueueBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Per peer: messages waiting to be sent, over all channels.</summary>
    public int SendQueueMessages { get; init; } = 10_000;

    /// <summary>Per peer: received bytes waiting for the host; past it the peer's socket is no longer read.</summary>
    public long ReceiveQueueBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Channels whose messages may be dropped (oldest first) when a peer's send queue is full, such as
    /// transaction gossip. Messages on every other channel are never dropped silently: a full queue closes the
    /// connection instead, and the host re-sends its state when the peer is back (docs/peering.md, "Drop policy").
    /// </summary>
    public IReadOnlySet<byte> DroppableChannels { get; init; } = new HashSet<byte>();

    /// <summary>TLS and the key proof must be done within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A ping is sent when nothing else was sent for this long.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A peer from which no frame arrived for this long, or whose socket took no byte for this long, is dead.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect backoff: first delay, doubled per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Unauthenticated inbound connections handled at once; more wait in the listen backlog.</summary>
    public int MaxPendingHandshakes { get; init; } = 16;

    internal void Validate()
    {
        if (string.IsNullOrEmpty(ChainId) || System.Text.Encoding.UTF8.GetByteCount(ChainId) > 255)
        {
            throw new ArgumentException("the chain id must be 1 to 255 bytes of UTF-8 (the handshake carries its length in one byte)");
        }
        if (MaxFrameBytes < 1024)
        {
            throw new ArgumentException($"MaxFrameBytes {MaxFrameBytes} is below 1024");
        }
        if (SendQueueBytes < MaxFrameBytes || ReceiveQueueBytes < MaxFrameBytes)
        {
            throw new ArgumentException("each peer queue must hold at least one frame of MaxFrameBytes");
        }
        if (SendQueueMessages < 1 || MaxPendingHandshakes < 1)
        {
            throw new ArgumentException("SendQueueMessages and MaxPendingHandshakes must be positive");
        }
        if (KeepaliveInterval >= IdleTimeout)
        {
            throw new ArgumentException("KeepaliveInterval must be shorter than IdleTimeout, or live peers look dead");
        }
        if (ReconnectBaseDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new ArgumentException("reconnect delays must be positive and the maximum at least the base");
        }
    }
}
