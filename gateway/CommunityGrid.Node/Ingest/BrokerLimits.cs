using System;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// What one client may cost the embedded broker (docs/operations.md, "Embedded broker: limits"). A meter's traffic is
/// tiny (a CONNECT of a few hundred bytes, readings under 200 bytes), so the bounds sit far above it and far below
/// what would hurt a gateway on a small board.
/// </summary>
public sealed record BrokerLimits
{
    public static readonly BrokerLimits Default = new();

    /// <summary>The first packet of a connection (CONNECT, before the login is checked): client id, meter id, 128-digit password, a will.</summary>
    public int MaxConnectPacketBytes { get; init; } = 2 * 1024;

    /// <summary>Every later packet (after the login): a reading with its topic is under 300 bytes; as for HTTP submissions, 16 KiB.</summary>
    public int MaxPacketBytes { get; init; } = 16 * 1024;

    /// <summary>A socket that has not delivered its whole CONNECT by then is closed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open sockets in all, logged in or not (a street has about a hundred meters); beyond it new sockets are closed at once.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Sessions (distinct client ids) one meter may hold at a time; a reconnect under the same client id replaces its session and does not count twice.</summary>
    public int MaxSessionsPerMeter { get; init; } = 4;

    /// <summary>
    /// QoS 1 messages (acks, display data, proofs, move instructions) waiting to be sent into one session, connected or
    /// persistent and away. A meter with a full window of 32 readings gets 32 acks, a proof and a display message for a
    /// block; 128 leave room for several such blocks. Beyond it the new message is dropped: the meter resends the
    /// readings whose acks it lacks (the gateway answers a repeat, protocol.md §7.2) and gets the newest display and
    /// proof message as retained copies when it subscribes after connecting (§7.1).
    /// </summary>
    public int MaxQueuedMessagesPerSession { get; init; } = 128;
}
