using System;
using System.Threading;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering;

/// <summary>What this node knows of one other validator: its current connection (at most one) and its history.</summary>
internal sealed class PeerSlot
{
    public PeerSlot(PeerValidator validator, bool dials, ReceiveQueue incoming)
    {
        Validator = validator;
        Dials = dials;
        Incoming = incoming;
    }

    /// <summary>Received messages not yet taken by the host, across this peer's connections.</summary>
    public ReceiveQueue Incoming { get; }

    /// <summary>Replaced when a validator-set change gives the same key another address.</summary>
    public PeerValidator Validator { get; set; }

    /// <summary>Cancelled when the validator leaves the set: ends its dial loop.</summary>
    public CancellationTokenSource Removed { get; } = new();
    public bool Dials { get; }
    public PeerCounters Counters { get; } = new();
    public PeerConnection? Connection { get; set; }
    public int Connections { get; set; }
    public long DroppedOnEarlierConnections { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }

    public PeerStatus ToStatus()
    {
        PeerConnection? connection = Connection;
        return new PeerStatus
        {
            Key = Validator.Key,
            Address = Validator.Address,
            Dials = Dials,
            ConnectedSince = connection is { IsOpen: true } ? connection.ConnectedSince : null,
            BytesIn = Counters.BytesIn,
            BytesOut = Counters.BytesOut,
            MessagesIn = Counters.MessagesIn,
            MessagesOut = Counters.MessagesOut,
            MessagesDropped = DroppedOnEarlierConnections + (connection?.Outgoing.Dropped ?? 0),
            QueuedBytes = connection?.Outgoing.QueuedBytes ?? 0,
            Connections = Connections,
            LastError = LastError,
            LastErrorAt = LastErrorAt,
        };
    }
}
