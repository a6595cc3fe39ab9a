using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CommunityGrid.Peering.Gossip;

/// <summary>
/// The SHA-256 hashes of the last <c>capacity</c> messages seen, oldest forgotten first: bounded memory
/// (the 32-byte hash held twice, an 8-byte mark of the peers it was passed to, plus the set's own bookkeeping, under
/// 110 bytes per entry), and a message seen again after being forgotten is simply gossiped once more
/// (the mempool drops duplicates by transaction id anyway).
/// </summary>
public sealed class SeenSet
{
    private readonly object gate = new();
    private readonly Dictionary<Digest, ulong> marks = new();
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
                return marks.Count;
            }
        }
    }

    /// <summary>Records the message; true when it was not seen before (within the remembered window).</summary>
    public bool Add(ReadOnlySpan<byte> message)
    {
        Claim(message, 0, out bool isNew);
        return isNew;
    }

    /// <summary>
    /// Records the message and claims the peers (bits of <paramref name="wanted"/>) it is to be passed to: returns the
    /// wanted bits not claimed before for this message, and marks them, so concurrent copies never send it to a peer
    /// twice. <paramref name="isNew"/>: the message was not seen before (within the remembered window).
    /// </summary>
    public ulong Claim(ReadOnlySpan<byte> message, ulong wanted, out bool isNew)
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
            ref ulong mark = ref CollectionsMarshal.GetValueRefOrAddDefault(marks, hash, out bool existed);
            isNew = !existed;
            ulong claimed = wanted & ~mark;
            mark |= wanted;
            if (!existed)
            {
                order.Enqueue(hash);
                if (order.Count > capacity)
                {
                    marks.Remove(order.Dequeue());
                }
            }
            return claimed;
        }
    }

    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);
}
