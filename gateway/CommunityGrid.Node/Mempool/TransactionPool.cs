using System;
using System.Collections.Generic;

namespace CommunityGrid.Node.Mempool;

public enum PoolAdmission
{
    Added,
    /// <summary>The same bytes are already waiting; they will be acknowledged once, when their block commits.</summary>
    AlreadyPending,
    /// <summary>The pool is at capacity. Nothing is acknowledged, so a meter sends the reading again later.</summary>
    Full,
}

/// <summary>
/// Transactions waiting for a block, in arrival order, at most <see cref="Capacity"/>, each id once.
/// Thread-safe: ingest adds from broker threads while the producer takes and removes.
/// </summary>
public sealed class TransactionPool(int capacity)
{
    public const int DefaultCapacity = 20_000;

    private readonly object gate = new();
    private readonly LinkedList<PendingTransaction> order = new();
    private readonly Dictionary<string, LinkedListNode<PendingTransaction>> byId = new(StringComparer.Ordinal);

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");

    public int Count
    {
        get { lock (gate) return order.Count; }
    }

    public PoolAdmission Add(PendingTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        lock (gate)
        {
            if (byId.ContainsKey(tx.IdHex)) return PoolAdmission.AlreadyPending;
            if (order.Count >= Capacity) return PoolAdmission.Full;
            byId[tx.IdHex] = order.AddLast(tx);
            return PoolAdmission.Added;
        }
    }

    /// <summary>The oldest <paramref name="max"/> transactions, oldest first; they stay in the pool until removed.</summary>
    public List<PendingTransaction> Oldest(int max)
    {
        lock (gate)
        {
            var taken = new List<PendingTransaction>(Math.Min(max, order.Count));
            for (LinkedListNode<PendingTransaction>? node = order.First; node is not null && taken.Count < max; node = node.Next)
            {
                taken.Add(node.Value);
            }
            return taken;
        }
    }

    public void Remove(IEnumerable<string> idsHex)
    {
        lock (gate)
        {
            foreach (string id in idsHex)
            {
                if (byId.Remove(id, out LinkedListNode<PendingTransaction>? node)) order.Remove(node);
            }
        }
    }
}
