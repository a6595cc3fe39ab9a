using System;
using System.Collections.Generic;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Benchmarks;

/// <summary>
/// The baseline: the state root of format 1 (an RFC 6962 tree over all entries in key order) as the gateway
/// computed it before format 2 — every entry's leaf hash kept by key, the changed leaves hashed, the sorted leaf
/// hashes merged with them and every interior node hashed again, because an insert or delete shifts the leaves after it.
/// </summary>
internal sealed class PositionalStateRoot
{
    private readonly SortedDictionary<string, byte[]> leafHashes = new(StringComparer.Ordinal);

    public PositionalStateRoot(IStateReader committed)
    {
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) leafHashes.Add(entry.Key, LeafHash(entry.Key, entry.Value));
    }

    /// <param name="changes">strictly ascending keys, as <see cref="StateOverlay.Changes"/> gives them.</param>
    public byte[] RootAfter(IReadOnlyList<StateChange> changes)
    {
        var merged = new List<byte[]>(leafHashes.Count + changes.Count);
        int c = 0;
        foreach ((string key, byte[] hash) in leafHashes)
        {
            while (c < changes.Count && string.CompareOrdinal(changes[c].Key, key) < 0) AddChanged(merged, changes[c++]);
            if (c < changes.Count && string.Equals(changes[c].Key, key, StringComparison.Ordinal)) AddChanged(merged, changes[c++]);
            else merged.Add(hash);
        }
        while (c < changes.Count) AddChanged(merged, changes[c++]);
        return MerkleTree.RootOfLeafHashes(merged.ToArray(), BclMerkleHasher.Instance);
    }

    private static void AddChanged(List<byte[]> merged, StateChange change)
    {
        if (change.Value is not null) merged.Add(LeafHash(change.Key, change.Value));
    }

    private static byte[] LeafHash(string key, byte[] value) => BclMerkleHasher.Instance.LeafHash(StateTree.Leaf(key, value));
}
