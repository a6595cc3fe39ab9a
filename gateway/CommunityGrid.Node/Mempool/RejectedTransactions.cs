using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Node.Mempool;

/// <summary>A transaction the block producer dropped: the chain's reason, and the tip height when it was judged.</summary>
public sealed record RejectedTransaction(string IdHex, RejectionReason Reason, string Detail, long Height);

/// <summary>
/// The transactions dropped at block time, most recent <see cref="Capacity"/> of them, so that
/// <c>GET /transactions/{id}</c> can say why one will never appear (issue 11, case 8) instead of "retry" for ever.
/// In memory only: a restarted gateway has forgotten earlier rejections (docs/api.md says so).
/// </summary>
public sealed class RejectedTransactions(int capacity = RejectedTransactions.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    private readonly object gate = new();
    private readonly Dictionary<string, RejectedTransaction> byId = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");

    public void Record(RejectedTransaction rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        lock (gate)
        {
            if (byId.TryAdd(rejected.IdHex, rejected)) order.Enqueue(rejected.IdHex);
            else byId[rejected.IdHex] = rejected;
            while (order.Count > Capacity) byId.Remove(order.Dequeue());
        }
    }

    public RejectedTransaction? Find(string idHex)
    {
        lock (gate) return byId.GetValueOrDefault(idHex);
    }

    /// <summary>A transaction taken into the mempool again (resubmitted) is no longer "rejected" until judged again.</summary>
    public void Forget(string idHex)
    {
        // The queue keeps the id; it drops out of the window in turn, and Find no longer sees it.
        lock (gate) byId.Remove(idHex);
    }
}
