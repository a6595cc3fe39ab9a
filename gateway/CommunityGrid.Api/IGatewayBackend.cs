using System;
using CommunityGrid.Storage;

namespace CommunityGrid.Api;

/// <summary>
/// What the HTTP API needs from the node that hosts it. The node owns the chain store, the mempool and the
/// metrics; the API only reads and submits through this seam.
/// </summary>
public interface IGatewayBackend
{
    /// <summary>
    /// Runs <paramref name="query"/> against the store. The node serialises it with block appends, because the
    /// store and its in-memory state are single-owner; keep queries short and return plain values, never the store.
    /// </summary>
    T Read<T>(Func<ChainStore, T> query);

    /// <summary>Offers a transaction's bytes (a COSE_Sign1 message exactly as received) to the mempool.</summary>
    SubmitOutcome Submit(byte[] transaction);

    GatewayMetrics Metrics { get; }

    string ChainId { get; }
}

/// <param name="Accepted">True when the transaction entered the mempool (it is not in a block yet).</param>
/// <param name="TxId">Lowercase hex SHA-256 of the submitted bytes, whether accepted or not.</param>
/// <param name="Reason">When not accepted: why, for a person (e.g. "BadSignature: …"); null when accepted.</param>
public sealed record SubmitOutcome(bool Accepted, string TxId, string? Reason);
