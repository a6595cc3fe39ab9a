using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace CommunityGrid.Peering.Gossip;

/// <summary>
/// The SHA-256 hashes of the last <c>capacity</c> messages seen, oldest forgotten first: bounded memory
/// (about 100 bytes per entry), and a message seen again after being forgotten is simply gossiped once more
/// (the mempool drops duplicates by transaction id anyway).
/// </summary>
public sealed class SeenSet
{
    private readonly object gate = new();
    private readonly HashSet<string> hashes = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();
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
        string hash = Convert.ToBase64String(SHA256.HashData(message));
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
}
