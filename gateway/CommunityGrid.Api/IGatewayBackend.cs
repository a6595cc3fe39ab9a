using System;
using CommunityGrid.Chain.Validation;
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

    /// <summary>
    /// What this gateway knows of a transaction that is not in the chain: waiting in its mempool, or dropped at block
    /// time with the chain's reason; null when it knows nothing of it. A backend without a mempool knows nothing.
    /// </summary>
    UncommittedTransaction? Uncommitted(string txIdHex) => null;

    string ChainId { get; }

    /// <summary>
    /// True when this gateway only serves a stored chain (<c>cgrid gateway run --read-only</c>): it produces no blocks and
    /// takes no transactions, so POST /transactions is refused before anything is decoded.
    /// </summary>
    bool ReadOnly => false;
}

/// <param name="Accepted">True when the transaction entered the mempool (it is not in a block yet).</param>
/// <param name="TxId">Lowercase hex SHA-256 of the submitted bytes, whether accepted or not.</param>
/// <param name="Reason">When not accepted: why, for a person (e.g. "BadSignature: …"); null when accepted.</param>
/// <param name="Rejection">When the chain's rules refused it: the reason code (null for a full mempool).</param>
public sealed record SubmitOutcome(bool Accepted, string TxId, string? Reason, RejectionReason? Rejection = null);

/// <param name="Pending">True while the transaction waits in the mempool for a block.</param>
/// <param name="Reason">When dropped at block time: the chain's reason (docs/chain.md §4); it will never be in the chain.</param>
/// <param name="Height">When dropped: the chain's height at the time it was judged.</param>
public sealed record UncommittedTransaction(bool Pending, RejectionReason? Reason, string? Detail, long? Height)
{
    public static readonly UncommittedTransaction Waiting = new(true, null, null, null);
}
