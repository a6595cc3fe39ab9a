using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The state root: the RFC 6962 Merkle root over all entries in ordinal key order, each leaf the canonical CBOR
/// array [key (text), value (its CBOR item, embedded as is)]. An inclusion proof of one leaf proves one value.
/// </summary>
/// <remarks>
/// This is the definition, computed in full with the portable SHA-256; the chain uses <see cref="CachedStateRoot"/>,
/// which gives the same bytes without rehashing unchanged entries.
/// </remarks>
public static class StateTree
{
    public static byte[] Leaf(string key, byte[] value)
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartArray(2);
        w.WriteTextString(key);
        w.WriteEncodedValue(value);
        w.WriteEndArray();
        return w.Encode();
    }

    public static byte[][] Leaves(IStateReader state)
    {
        var leaves = new List<byte[]>();
        foreach (KeyValuePair<string, byte[]> entry in state.Entries()) leaves.Add(Leaf(entry.Key, entry.Value));
        return leaves.ToArray();
    }

    public static byte[] Root(IStateReader state) => MerkleTree.Root(Leaves(state));

    /// <summary>A proof that <paramref name="key"/> has its current value, or null when the key is absent.</summary>
    public static StateProof? Prove(IStateReader state, string key)
    {
        var leaves = new List<byte[]>();
        int index = -1;
        byte[]? value = null;
        foreach (KeyValuePair<string, byte[]> entry in state.Entries())
        {
            if (entry.Key == key)
            {
                index = leaves.Count;
                value = entry.Value;
            }
            leaves.Add(Leaf(entry.Key, entry.Value));
        }
        if (value is null) return null;
        byte[][] all = leaves.ToArray();
        return new StateProof(key, value, all[index], index, all.Length, MerkleTree.InclusionProof(all, index), MerkleTree.Root(all));
    }
}

/// <summary>Everything a light client needs to check one state value against a header's state root.</summary>
public sealed record StateProof(string Key, byte[] Value, byte[] Leaf, int Index, int TreeSize, byte[][] Path, byte[] Root)
{
    public bool Verify(byte[] stateRoot) =>
        Hashes.Equal(StateTree.Leaf(Key, Value), Leaf) && MerkleTree.VerifyInclusion(Leaf, Index, TreeSize, Path, stateRoot);
}
