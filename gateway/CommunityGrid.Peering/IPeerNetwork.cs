using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CommunityGrid.Peering;

/// <summary>
/// What the gateway node uses of the network between gateways. Channels 1-255 belong to the host (channel 0 is the
/// network's own control channel); payloads are opaque bytes. Sending never blocks: a message is queued for the
/// peer's writer, or refused (false) when the peer is not connected. Thread-safe.
/// </summary>
public interface IPeerNetwork : IAsyncDisposable
{
    PeerKey Self { get; }

    /// <summary>Binds the listener and starts dialing; returns once the listener accepts connections.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Queues the message for every connected peer; returns how many peers it was queued for.</summary>
    int Broadcast(byte channel, byte[] payload);

    /// <summary>Queues the message for every connected peer except <paramref name="except"/> (gossip relaying).</summary>
    int BroadcastExcept(PeerKey except, byte channel, byte[] payload);

    /// <summary>
    /// Queues the message for one peer; false when that peer is not connected now (or the message was on a droppable
    /// channel and the queue had no room). True means queued, not delivered: if the connection ends before the
    /// message is written, <see cref="PeerDisconnected"/> follows and the host re-sends what matters on reconnect.
    /// </summary>
    bool Send(PeerKey peer, byte channel, byte[] payload);

    /// <summary>
    /// Every received application message, peers served round-robin so a busy peer cannot starve the others. One
    /// reader at a time. A slow reader slows the peers down (their sockets stop being read); it loses nothing.
    /// </summary>
    IAsyncEnumerable<PeerMessage> ReceiveAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A peer finished the handshake; the host should send it what it needs now (e.g. its current votes). Also raised
    /// when a newer connection replaced a peer's older one (whose queued messages are gone), without a disconnect first.
    /// </summary>
    event Action<PeerKey>? PeerConnected;

    /// <summary>A peer's connection ended; whatever was queued for it is gone.</summary>
    event Action<PeerKey>? PeerDisconnected;

    /// <summary>
    /// Replaces the validator set when a change takes effect: leavers are disconnected and refused, newcomers dialed
    /// or awaited. This node's key need not be in the set (a node joining or leaving follows it from outside).
    /// </summary>
    void UpdateValidators(IEnumerable<PeerValidator> validators);

    /// <summary>Every other validator, sorted by key, with its connection state and counters.</summary>
    IReadOnlyList<PeerStatus> Peers { get; }
}
