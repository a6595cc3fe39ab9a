using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace CommunityGrid.Peering.Gossip;

/// <summary>
/// The SHA-256 hashes of the last <c>capacity</c> messages seen, oldest forgotten first: bounded memory
/// (the 32-byte hash held twice plus the set's own bookkeeping, under 100 bytes per entry), and a message seen again after being forgotten is simply gossiped once more
/// (the mempool drops duplicates by transaction id anyway).
/// </summary>
public sealed class SeenSet
{
    private readonly object gate = new();
    private readonly HashSet<Digest> hashes = new();
    private readonly Queue<Digest> order = new();
    private readonly int capacity;

    public SeenSet(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return hashes.Count;
            }
        }
    }

    /// <summary>Records the message; true when it was not seen before (within the remembered window).</summary>
    public bool Add(ReadOnlySpan<byte> message)
    {
        Span<byte> bytes = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(message, bytes);
        var hash = new Digest(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
        lock (gate)
        {
            if (!hashes.Add(hash))
            {
                return false;
            }
            order.Enqueue(hash);
            if (order.Count > capacity)
            {
                hashes.Remove(order.Dequeue());
            }
            return true;
        }
    }

    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);
}
