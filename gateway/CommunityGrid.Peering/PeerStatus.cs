using System;

namespace CommunityGrid.Peering;

/// <summary>One peer as GET /status and the metrics show it. Counters cover the life of this node's process.</summary>
public sealed record PeerStatus
{
    public required PeerKey Key { get; init; }
    public required string Address { get; init; }
    /// <summary>True when this node dials the peer (lower key), false when it waits for the peer to dial.</summary>
    public required bool Dials { get; init; }
    /// <summary>Null while not connected.</summary>
    public DateTimeOffset? ConnectedSince { get; init; }
    public bool Connected => ConnectedSince is not null;
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }
    public long MessagesIn { get; init; }
    public long MessagesOut { get; init; }
    /// <summary>Messages of droppable channels dropped because this peer's send queue was full.</summary>
    public long MessagesDropped { get; init; }
    /// <summary>Bytes waiting in this peer's send queue now.</summary>
    public long QueuedBytes { get; init; }
    public int Connections { get; init; }
    /// <summary>Why the last connection or attempt ended, for an operator: null if nothing went wrong yet.</summary>
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
}
