using System;
using System.Collections.Generic;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The state root (same bytes as <see cref="StateTree.Root"/>) without re-encoding and rehashing the entries a
/// block leaves alone: the leaf hash of every committed entry is kept by key, and only the leaves a block writes
/// are hashed. Interior nodes are recomputed each time, with the platform's SHA-256: RFC 6962 nodes are
/// positional, and nearly every block inserts or deletes pending/ entries, which shifts the recent/ entries
/// after them (most of the state), so few nodes would survive a block.
/// </summary>
/// <remarks>The owner must pass every change of the committed entries to <see cref="Apply"/>, and nothing else.</remarks>
public sealed class CachedStateRoot
{
    private readonly IStateReader committed;
    // Ordinal like the entries, so enumerating it gives the leaves in tree order.
    private readonly SortedDictionary<string, byte[]> leafHashes = new(StringComparer.Ordinal);
    private RootAfterChanges? last;

    public CachedStateRoot(IStateReader committed)
    {
        this.committed = committed;
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) leafHashes.Add(entry.Key, LeafHash(entry.Key, entry.Value));
    }

    /// <summary>The root of the committed entries with <paramref name="changes"/> applied (keys strictly ascending, as <see cref="StateOverlay.Changes"/> gives them).</summary>
    public byte[] RootAfter(IReadOnlyList<StateChange> changes)
    {
        RequireAscending(changes);
        // The root is a function of the committed entries and the changes alone, so the same changes on the same
        // committed entries (a producer's own block when it is applied) need not be hashed twice.
        // Read once: a proposal computed beside another reader must not hand out the other's root.
        RootAfterChanges? remembered = last;
        if (remembered is null || !remembered.Matches(changes))
        {
            remembered = new RootAfterChanges(changes, MerkleTree.RootOfLeafHashes(LeafHashesAfter(changes), BclMerkleHasher.Instance));
            last = remembered;
        }
        return (byte[])remembered.Root.Clone();
    }

    public void Apply(IReadOnlyList<StateChange> changes)
    {
        last = null;
        foreach (StateChange change in changes)
        {
            if (change.Value is null) leafHashes.Remove(change.Key);
            else leafHashes[change.Key] = LeafHash(change.Key, change.Value);
        }
    }

    /// <summary>A proof that <paramref name="key"/> has its committed value, or null when the key is absent.</summary>
    public StateProof? Prove(string key)
    {
        byte[]? value = committed.Get(key);
        if (value is null) return null;
        byte[][] hashes = new byte[leafHashes.Count][];
        int index = -1;
        int i = 0;
        foreach ((string leafKey, byte[] hash) in leafHashes)
        {
            if (string.Equals(leafKey, key, StringComparison.Ordinal)) index = i;
            hashes[i++] = hash;
        }
        if (index < 0) throw new InvalidOperationException($"state entry '{key}' has no leaf hash; a change bypassed {nameof(Apply)}");
        byte[][] path = MerkleTree.InclusionProofOfLeafHashes(hashes, index, BclMerkleHasher.Instance);
        byte[] root = MerkleTree.RootOfLeafHashes(hashes, BclMerkleHasher.Instance);
        return new StateProof(key, value, StateTree.Leaf(key, value), index, hashes.Length, path, root);
    }

    /// <summary>
    /// Proofs of many keys against the committed root, the tree built once (<see cref="MerkleLevels"/>): one entry
    /// per meter after every block would otherwise cost a whole tree each. Absent keys are left out of the result.
    /// </summary>
    public IReadOnlyDictionary<string, StateProof> ProveMany(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var wanted = new HashSet<string>(keys, StringComparer.Ordinal);
        var proofs = new Dictionary<string, StateProof>(StringComparer.Ordinal);
        if (wanted.Count == 0 || leafHashes.Count == 0) return proofs;
        byte[][] hashes = new byte[leafHashes.Count][];
        var positions = new List<(string Key, int Index)>();
        int i = 0;
        foreach ((string leafKey, byte[] hash) in leafHashes)
        {
            if (wanted.Contains(leafKey)) positions.Add((leafKey, i));
            hashes[i++] = hash;
        }
        var tree = new MerkleLevels(hashes, BclMerkleHasher.Instance);
        byte[] root = tree.Root;
        foreach ((string key, int index) in positions)
        {
            byte[]? value = committed.Get(key);
            if (value is null) throw new InvalidOperationException($"state entry '{key}' has a leaf hash but no value; a change bypassed {nameof(Apply)}");
            proofs[key] = new StateProof(key, value, StateTree.Leaf(key, value), index, hashes.Length, tree.InclusionProof(index), root);
        }
        return proofs;
    }

    private static byte[] LeafHash(string key, byte[] value) => BclMerkleHasher.Instance.LeafHash(StateTree.Leaf(key, value));

    /// <summary>The committed leaf hashes merged with the changed leaves, in key order.</summary>
    private byte[][] LeafHashesAfter(IReadOnlyList<StateChange> changes)
    {
        var result = new List<byte[]>(leafHashes.Count + changes.Count);
        int c = 0;
        foreach ((string key, byte[] hash) in leafHashes)
        {
            while (c < changes.Count && string.CompareOrdinal(changes[c].Key, key) < 0) AddChanged(result, changes[c++]);
            if (c < changes.Count && string.Equals(changes[c].Key, key, StringComparison.Ordinal)) AddChanged(result, changes[c++]);
            else result.Add(hash);
        }
        while (c < changes.Count) AddChanged(result, changes[c++]);
        return result.ToArray();
    }

    private static void AddChanged(List<byte[]> result, StateChange change)
    {
        if (change.Value is not null) result.Add(LeafHash(change.Key, change.Value));
    }

    private static void RequireAscending(IReadOnlyList<StateChange> changes)
    {
        for (int i = 1; i < changes.Count; i++)
        {
            if (string.CompareOrdinal(changes[i - 1].Key, changes[i].Key) >= 0)
            {
                throw new ArgumentException($"changes must be in strictly ascending key order; '{changes[i].Key}' follows '{changes[i - 1].Key}'", nameof(changes));
            }
        }
    }
}
