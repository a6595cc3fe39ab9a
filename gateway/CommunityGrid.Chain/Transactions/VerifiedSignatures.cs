using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// The ids (SHA-256 of the exact bytes, signature included) of transactions whose signature verified in this process,
/// so that a gateway verifies each signature once although it decodes a transaction several times (intake, gossip,
/// proposal, validation of a peer's proposal, replay of what it produced). Sound for consensus because validity is a
/// function of the bytes alone. Only successes are remembered (a forged message is checked again each time it comes),
/// at most <see cref="Capacity"/> ids, oldest dropped first.
/// </summary>
public sealed class VerifiedSignatures(int capacity)
{
    public const int DefaultCapacity = 262_144;

    private readonly ConcurrentDictionary<Id, byte> known = new();
    private readonly ConcurrentQueue<Id> order = new();
    private long verifications;
    private long hits;
    // Kept here because ConcurrentDictionary.Count takes every lock of the dictionary: read on each add, it cost a
    // replay about a tenth of its time in lock traffic (issue 18).
    private int count;

    /// <summary>The one cache of this process.</summary>
    public static VerifiedSignatures Shared { get; } = new(DefaultCapacity);

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Signature checks actually run (cache misses).</summary>
    public long Verifications => Interlocked.Read(ref verifications);

    public long Hits => Interlocked.Read(ref hits);

    /// <summary>True when <paramref name="transactionId"/> verified before, else the result of <paramref name="verify"/> (remembered when true).</summary>
    public bool Check(ReadOnlySpan<byte> transactionId, Func<bool> verify)
    {
        ArgumentNullException.ThrowIfNull(verify);
        var id = Id.Of(transactionId);
        if (known.ContainsKey(id))
        {
            Interlocked.Increment(ref hits);
            return true;
        }
        Interlocked.Increment(ref verifications);
        if (!verify()) return false;
        if (known.TryAdd(id, 0))
        {
            order.Enqueue(id);
            Interlocked.Increment(ref count);
            while (Volatile.Read(ref count) > Capacity && order.TryDequeue(out Id oldest))
            {
                if (known.TryRemove(oldest, out _)) Interlocked.Decrement(ref count);
            }
        }
        return true;
    }

    private readonly record struct Id(ulong A, ulong B, ulong C, ulong D)
    {
        public static Id Of(ReadOnlySpan<byte> sha256) => sha256.Length != 32
            ? throw new ArgumentException("a transaction id is 32 bytes")
            : new(BinaryPrimitives.ReadUInt64LittleEndian(sha256), BinaryPrimitives.ReadUInt64LittleEndian(sha256[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(sha256[16..]), BinaryPrimitives.ReadUInt64LittleEndian(sha256[24..]));
    }
}
