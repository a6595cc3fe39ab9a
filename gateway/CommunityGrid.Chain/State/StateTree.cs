using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The state root (chain.md §3): the RFC 6962 Merkle root over the state's slots. Each key holds a slot (a leaf
/// position) from the block that first writes it until the block that deletes it; the leaf of a held slot is the
/// canonical CBOR array [key (text), value (its CBOR item, embedded as is)], the leaf of a free slot is the empty
/// byte string. An inclusion proof of one leaf proves one value.
/// </summary>
/// <remarks>
/// This is the definition, computed in full with the portable SHA-256 and the slot rule spelled out plainly; the
/// chain uses <see cref="IncrementalStateTree"/>, which gives the same bytes hashing only what a block changes.
/// A layout is the key at each slot, null for a free one.
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

    /// <summary>The leaf of a free slot: empty, so no [key, value] leaf (a CBOR array, never empty) can equal it.</summary>
    public static byte[] EmptySlotLeaf() => [];

    /// <summary>The layout of a state that never lost a key (the genesis state): slots 0, 1, … in ordinal key order.</summary>
    public static string?[] LayoutInKeyOrder(IStateReader state)
    {
        var keys = new List<string?>();
        foreach (KeyValuePair<string, byte[]> entry in state.Entries()) keys.Add(entry.Key);
        return keys.ToArray();
    }

    /// <summary>
    /// The layout after a block's <paramref name="changes"/> (null value = delete): deleted keys free their slots;
    /// then the new keys, in ordinal order, each take the lowest free slot, or a new one at the end when none is
    /// free; then free slots at the end are dropped. Updated keys keep their slots.
    /// </summary>
    public static string?[] LayoutAfter(string?[] layout, IReadOnlyList<StateChange> changes)
    {
        var slots = new List<string?>(layout);
        foreach (StateChange change in changes)
        {
            if (change.Value is null && slots.IndexOf(change.Key) is int slot and >= 0) slots[slot] = null;
        }
        var added = new List<string>();
        foreach (StateChange change in changes)
        {
            if (change.Value is not null && !slots.Contains(change.Key)) added.Add(change.Key);
        }
        added.Sort(StringComparer.Ordinal);
        foreach (string key in added)
        {
            int slot = slots.IndexOf(null);
            if (slot >= 0) slots[slot] = key;
            else slots.Add(key);
        }
        while (slots.Count > 0 && slots[^1] is null) slots.RemoveAt(slots.Count - 1);
        return slots.ToArray();
    }

    public static byte[][] Leaves(IStateReader state, string?[] layout)
    {
        var leaves = new byte[layout.Length][];
        for (int slot = 0; slot < layout.Length; slot++)
        {
            leaves[slot] = layout[slot] is { } key
                ? Leaf(key, state.Get(key) ?? throw new ArgumentException($"slot {slot} holds '{key}', which the state lacks", nameof(layout)))
                : EmptySlotLeaf();
        }
        return leaves;
    }

    public static byte[] Root(IStateReader state, string?[] layout) => MerkleTree.Root(Leaves(state, layout));

    /// <summary>A proof that <paramref name="key"/> has its current value, or null when the key is absent.</summary>
    public static StateProof? Prove(IStateReader state, string?[] layout, string key)
    {
        byte[]? value = state.Get(key);
        int index = Array.IndexOf(layout, key);
        if (value is null || index < 0) return null;
        byte[][] leaves = Leaves(state, layout);
        return new StateProof(key, value, leaves[index], index, leaves.Length, MerkleTree.InclusionProof(leaves, index), MerkleTree.Root(leaves));
    }
}

/// <summary>Everything a light client needs to check one state value against a header's state root.</summary>
public sealed record StateProof(string Key, byte[] Value, byte[] Leaf, int Index, int TreeSize, byte[][] Path, byte[] Root)
{
    public bool Verify(byte[] stateRoot) =>
        Hashes.Equal(StateTree.Leaf(Key, Value), Leaf) && MerkleTree.VerifyInclusion(Leaf, Index, TreeSize, Path, stateRoot);
}

/// <summary>A state entry with its slot, as stored beside the chain (chain.md §7) so a restart need not replay.</summary>
public sealed record SlottedEntry(string Key, byte[] Value, int Slot);
