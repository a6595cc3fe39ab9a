using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Threading;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// The ids (SHA-256 of the exact bytes, signature included) of transactions whose signature verified in this process,
/// so that a gateway verifies each signature once although it decodes a transaction several times (intake, gossip,
/// proposal, validation of a peer's proposal, replay of what it produced). Sound for consensus because validity is a
/// function of the bytes alone. Only successes are remembered (a forged message is checked again each time it comes),
/// at most <see cref="Capacity"/> ids, oldest dropped first.
/// </summary>
/// <remarks>
/// Fixed memory (issue 18, gateway RSS): a ring of ids and a dictionary sized for <see cref="Capacity"/> are allocated
/// once, so remembering an id allocates nothing and a gateway that runs for years holds the same few megabytes. (The
/// concurrent dictionary and queue used before allocated a node and a queue slot per reading, promoted to the oldest
/// generation, and the queue's segments grew to 40 MB each once it cycled.) The lock is held for a lookup or an insert
/// only, never while a signature is checked.
/// </remarks>
public sealed class VerifiedSignatures
{
    /// <summary>
    /// A full mempool (20,000 by default) and a round's block candidates (2 × 2,000) with room to spare: between a
    /// reading's check at intake and its next decode (block production, a peer's proposal) at most the pool's other
    /// readings and the candidates taken before it are checked, and a block the gateway produced is stored from its own
    /// execution, not decoded again. About 2.7 MB, allocated once at first use (65,536 before, sized for three
    /// mempools, 5.5 MB; docs/operations.md, "Third memory pass"). An id that has dropped out is only verified again,
    /// nothing else.
    /// </summary>
    public const int DefaultCapacity = 32_768;

    private readonly object gate = new();
    private readonly Dictionary<Id, byte> known;
    private readonly Id[] ring;
    private int next;
    private long verifications;
    private long hits;

    public VerifiedSignatures(int capacity)
    {
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
        known = new Dictionary<Id, byte>(capacity);
        ring = new Id[capacity];
    }

    /// <summary>The one cache of this process.</summary>
    public static VerifiedSignatures Shared { get; } = new(DefaultCapacity);

    public int Capacity { get; }

    /// <summary>Ids remembered now, at most <see cref="Capacity"/>.</summary>
    public int Count
    {
        get { lock (gate) return known.Count; }
    }

    /// <summary>Signature checks actually run (cache misses).</summary>
    public long Verifications => Interlocked.Read(ref verifications);

    public long Hits => Interlocked.Read(ref hits);

    /// <summary>True when <paramref name="transactionId"/> verified before, else the result of <paramref name="verify"/> (remembered when true).</summary>
    public bool Check(ReadOnlySpan<byte> transactionId, Func<bool> verify)
    {
        ArgumentNullException.ThrowIfNull(verify);
        return Check(transactionId, verify, static verify => verify());
    }

    /// <summary>As <see cref="Check(ReadOnlySpan{byte}, Func{bool})"/>, with what the check needs passed in, so a static lambda allocates no closure per transaction.</summary>
    public bool Check<TMessage>(ReadOnlySpan<byte> transactionId, TMessage message, Func<TMessage, bool> verify)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var id = Id.Of(transactionId);
        lock (gate)
        {
            if (known.ContainsKey(id))
            {
                Interlocked.Increment(ref hits);
                return true;
            }
        }
        Interlocked.Increment(ref verifications);
        if (!verify(message)) return false;
        lock (gate) Remember(id);
        return true;
    }

    /// <summary>Under the lock: the id takes the ring's next slot, and the id that held it (the oldest) is forgotten.</summary>
    private void Remember(Id id)
    {
        if (!known.TryAdd(id, 0)) return; // another thread verified the same bytes meanwhile
        if (known.Count > Capacity) known.Remove(ring[next]);
        ring[next] = id;
        next = next + 1 == Capacity ? 0 : next + 1;
    }

    private readonly record struct Id(ulong A, ulong B, ulong C, ulong D)
    {
        public static Id Of(ReadOnlySpan<byte> sha256) => sha256.Length != 32
            ? throw new ArgumentException("a transaction id is 32 bytes")
            : new(BinaryPrimitives.ReadUInt64LittleEndian(sha256), BinaryPrimitives.ReadUInt64LittleEndian(sha256[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(sha256[16..]), BinaryPrimitives.ReadUInt64LittleEndian(sha256[24..]));
    }
}
