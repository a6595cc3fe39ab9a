using System;
using System.Collections.Generic;

namespace CommunityGrid.Node.Mempool;

public enum PoolAdmission
{
    Added,
    /// <summary>The same bytes are already waiting; they will be acknowledged once, when their block commits.</summary>
    AlreadyPending,
    /// <summary>
    /// The pool is at capacity, or it refused an earlier reading of the same meter that has not come back yet (a
    /// reading must not overtake it). Nothing is acknowledged, so a meter sends the reading again later.
    /// </summary>
    Full,
}

/// <summary>
/// Transactions waiting for a block, in arrival order, at most <see cref="Capacity"/>, each id once, and each
/// meter's readings in the order the meter sent them even when the pool refuses some (see <see cref="PoolAdmission.Full"/>).
/// Thread-safe: ingest adds from broker threads while the producer takes and removes.
/// </summary>
/// <param name="time">Real elapsed time (not the block clock): how long a refused reading has not come back.</param>
public sealed class TransactionPool(int capacity, TimeProvider? time = null)
{
    public const int DefaultCapacity = 20_000;

    /// <summary>
    /// How many meters' refusals are remembered, at least: a street has far fewer meters, while an external broker
    /// may let through readings of meter ids the chain does not know, which must not grow memory without bound.
    /// </summary>
    public const int MinRefusedMeters = 1_000;

    private readonly object gate = new();
    private readonly LinkedList<PendingTransaction> order = new();
    private readonly Dictionary<string, LinkedListNode<PendingTransaction>> byId = new(StringComparer.Ordinal);
    private readonly RefusedSequences refused = new(Math.Max(capacity, MinRefusedMeters), time ?? TimeProvider.System);

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive");

    /// <summary>Meters whose later readings wait because one of theirs was refused for capacity.</summary>
    public int MetersWaiting
    {
        get { lock (gate) return refused.Count; }
    }

    public int Count
    {
        get { lock (gate) return order.Count; }
    }

    public PoolAdmission Add(PendingTransaction tx) => Add(tx, out _);

    public bool Contains(string idHex)
    {
        lock (gate) return byId.ContainsKey(idHex);
    }

    public PendingTransaction? Find(string idHex)
    {
        lock (gate) return byId.TryGetValue(idHex, out LinkedListNode<PendingTransaction>? node) ? node.Value : null;
    }

    /// <summary>Raised after a transaction was added (not for duplicates or refusals), outside the pool's lock: gossip and consensus listen.</summary>
    public event Action<PendingTransaction>? Admitted;

    /// <param name="waitsForEarlier">True when refused because an earlier reading of the meter was refused and has not come back.</param>
    public PoolAdmission Add(PendingTransaction tx, out bool waitsForEarlier)
    {
        ArgumentNullException.ThrowIfNull(tx);
        waitsForEarlier = false;
        lock (gate)
        {
            if (byId.ContainsKey(tx.IdHex)) return PoolAdmission.AlreadyPending;
            if (tx.MeterId is { } meter && refused.MustWait(meter, tx.Sequence))
            {
                waitsForEarlier = true;
                return PoolAdmission.Full;
            }
            if (order.Count >= Capacity)
            {
                if (tx.MeterId is { } full) refused.Refused(full, tx.Sequence);
                return PoolAdmission.Full;
            }
            byId[tx.IdHex] = order.AddLast(tx);
            if (tx.MeterId is { } taken) refused.Taken(taken, tx.Sequence);
        }
        Admitted?.Invoke(tx);
        return PoolAdmission.Added;
    }

    /// <summary>
    /// Whether a reading would be refused for capacity, asked before it is decoded or its signature checked (issue 18:
    /// a full pool refused each resend only after both). Refuses exactly as <see cref="Add(PendingTransaction, out bool)"/>
    /// would and records the refusal the same way; null when Add must decide (there is room, or the same bytes wait).
    /// </summary>
    /// <param name="idHex">The transaction id, SHA-256 of the bytes.</param>
    /// <param name="meterId">The meter whose topic it came on; <paramref name="sequence"/>: the sequence its payload names.</param>
    public PoolAdmission? RefuseBeforeDecoding(string idHex, string meterId, long sequence, out bool waitsForEarlier)
    {
        waitsForEarlier = false;
        lock (gate)
        {
            if (byId.ContainsKey(idHex)) return null;
            if (refused.MustWait(meterId, sequence))
            {
                waitsForEarlier = true;
                return PoolAdmission.Full;
            }
            if (order.Count < Capacity) return null;
            refused.Refused(meterId, sequence);
            return PoolAdmission.Full;
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
                if (!byId.Remove(id, out LinkedListNode<PendingTransaction>? node)) continue;
                order.Remove(node);
                if (node.Value.MeterId is { } meter) refused.Left(meter, node.Value.Sequence);
            }
        }
    }
}
