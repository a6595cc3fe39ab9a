using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The state root of chain.md §3 (same bytes as <see cref="StateTree.Root"/> over the same slot layout), kept up
/// to date block by block: each key keeps its leaf position (slot) from its first write until it is deleted, so a
/// block moves no leaf, and only the leaves it writes and their complete subtrees are hashed again
/// (<see cref="SubtreeHashes"/>). The cost of a block grows with the entries it changes, not with the state.
/// </summary>
/// <remarks>
/// The owner must pass every change of the committed entries to <see cref="Apply"/>, and nothing else. Slots are
/// chosen by the rule of chain.md §3 only: deletes free their slots, new keys in ordinal order take the lowest free
/// ones, then append; free slots at the end are dropped. No hash-map order reaches the layout: the dictionary
/// only looks keys up, free slots are kept sorted.
/// </remarks>
public sealed class IncrementalStateTree
{
    /// <summary>Slots at or past this are damage, not state: a tree never had a billion entries at once.</summary>
    public const int MaxSlots = 1 << 30;

    private static readonly byte[] EmptySlotHash = BclMerkleHasher.Instance.LeafHash(StateTree.EmptySlotLeaf());

    private readonly IStateReader committed;
    private readonly Dictionary<string, int> slotOf = new(StringComparer.Ordinal);
    private readonly List<string?> keyAt;
    private readonly SortedSet<int> free = [];
    private readonly SubtreeHashes tree;
    private LayoutChange? last;

    private IncrementalStateTree(IStateReader committed, List<string?> keyAt)
    {
        this.committed = committed;
        this.keyAt = keyAt;
        var leafHashes = new byte[keyAt.Count][];
        for (int slot = 0; slot < keyAt.Count; slot++)
        {
            if (keyAt[slot] is not { } key)
            {
                free.Add(slot);
                leafHashes[slot] = EmptySlotHash;
                continue;
            }
            slotOf.Add(key, slot);
            leafHashes[slot] = LeafHash(key, committed.Get(key)!);
        }
        tree = SubtreeHashes.Build(leafHashes);
    }

    /// <summary>A state that has never lost a key, e.g. the genesis state: its entries take slots 0, 1, … in ordinal key order.</summary>
    public static IncrementalStateTree InKeyOrder(IStateReader committed)
    {
        var keys = new List<string?>();
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) keys.Add(entry.Key);
        return new IncrementalStateTree(committed, keys);
    }

    /// <summary>A state with the slots it was stored with.</summary>
    /// <exception cref="ChainFormatException">
    /// a slot is negative or ≥ <see cref="MaxSlots"/>, two keys share a slot, a key has two slots or a slot names a
    /// key the state lacks, or an entry has no slot.
    /// </exception>
    public static IncrementalStateTree FromSlots(IStateReader committed, IEnumerable<KeyValuePair<string, int>> slots)
    {
        var keys = new List<string?>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string key, int slot) in slots)
        {
            if (slot is < 0 or >= MaxSlots) throw new ChainFormatException($"state entry '{key}' has slot {slot}, outside 0..{MaxSlots - 1}");
            if (committed.Get(key) is null) throw new ChainFormatException($"slot {slot} names state entry '{key}', which the state does not hold");
            if (!seen.Add(key)) throw new ChainFormatException($"state entry '{key}' has more than one slot");
            while (keys.Count <= slot) keys.Add(null);
            if (keys[slot] is { } other) throw new ChainFormatException($"state entries '{other}' and '{key}' both have slot {slot}");
            keys[slot] = key;
        }
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries())
        {
            if (!seen.Contains(entry.Key)) throw new ChainFormatException($"state entry '{entry.Key}' has no slot");
        }
        return new IncrementalStateTree(committed, keys);
    }

    /// <summary>The tree size: the number of slots, free ones included.</summary>
    public int Size => tree.Size;

    /// <summary>The committed key at each slot, null where the slot is free.</summary>
    public string?[] Layout() => keyAt.ToArray();

    /// <summary>The committed slot of <paramref name="key"/>, or −1 when the state lacks it.</summary>
    public int SlotOf(string key) => slotOf.TryGetValue(key, out int slot) ? slot : -1;

    /// <summary>The root of the committed entries with <paramref name="changes"/> applied (keys strictly ascending, as <see cref="StateOverlay.Changes"/> gives them).</summary>
    public byte[] RootAfter(IReadOnlyList<StateChange> changes) => (byte[])Plan(changes).Nodes.Root.Clone();

    /// <summary>Parallel to <paramref name="changes"/>: each key's slot once they are applied, −1 for a deleted key.</summary>
    public int[] SlotsAfter(IReadOnlyList<StateChange> changes) => (int[])Plan(changes).Slots.Clone();

    public void Apply(IReadOnlyList<StateChange> changes)
    {
        LayoutChange change = Plan(changes);
        last = null;
        int[] slots = change.Slots;
        // Frees first, so a slot a block frees and fills again ends up with its new key.
        for (int i = 0; i < changes.Count; i++)
        {
            if (slots[i] >= 0 || !slotOf.Remove(changes[i].Key, out int freed)) continue;
            keyAt[freed] = null;
            free.Add(freed);
        }
        for (int i = 0; i < changes.Count; i++)
        {
            if (slots[i] < 0 || slotOf.ContainsKey(changes[i].Key)) continue;
            slotOf.Add(changes[i].Key, slots[i]);
            while (keyAt.Count <= slots[i]) keyAt.Add(null);
            keyAt[slots[i]] = changes[i].Key;
            free.Remove(slots[i]);
        }
        int size = change.Nodes.Size;
        for (int slot = keyAt.Count - 1; slot >= size; slot--) free.Remove(slot);
        if (keyAt.Count > size) keyAt.RemoveRange(size, keyAt.Count - size);
        tree.Commit(change.Nodes);
    }

    /// <summary>A proof that <paramref name="key"/> has its committed value, or null when the key is absent.</summary>
    public StateProof? Prove(string key)
    {
        byte[]? value = committed.Get(key);
        if (value is null) return null;
        if (!slotOf.TryGetValue(key, out int slot)) throw new InvalidOperationException($"state entry '{key}' has no slot; a change bypassed {nameof(Apply)}");
        return new StateProof(key, value, StateTree.Leaf(key, value), slot, tree.Size, tree.InclusionPath(slot), tree.Root);
    }

    private LayoutChange Plan(IReadOnlyList<StateChange> changes)
    {
        RequireAscending(changes);
        // Read once: a root computed beside another reader must not hand out the other's plan.
        LayoutChange? remembered = last;
        if (remembered is not null && remembered.Matches(changes)) return remembered;
        var slots = new int[changes.Count];
        var leaves = new List<(int Slot, byte[] Hash)>(changes.Count);
        var freed = new List<int>();
        const int NewKey = -2;
        for (int i = 0; i < changes.Count; i++)
        {
            StateChange change = changes[i];
            bool present = slotOf.TryGetValue(change.Key, out int slot);
            if (change.Value is null)
            {
                slots[i] = -1;
                if (present) freed.Add(slot);
                continue;
            }
            slots[i] = present ? slot : NewKey;
            if (present) leaves.Add((slot, ChangedLeafHash(change.Key, change.Value)));
        }
        freed.Sort();
        var lowestFree = new LowestFree(free, freed);
        int size = tree.Size;
        int lastTaken = -1;
        for (int i = 0; i < changes.Count; i++)
        {
            if (slots[i] != NewKey) continue;
            int slot = lowestFree.Take() ?? size++;
            slots[i] = slot;
            lastTaken = Math.Max(lastTaken, slot);
            leaves.Add((slot, ChangedLeafHash(changes[i].Key, changes[i].Value!)));
        }
        foreach (int slot in lowestFree.FreedLeft()) leaves.Add((slot, EmptySlotHash));
        var freedSet = new HashSet<int>(freed);
        // Free slots at the end are dropped (chain.md §3), so the last slot of a tree always holds a key.
        while (size > 0 && size - 1 > lastTaken && (free.Contains(size - 1) || freedSet.Contains(size - 1))) size--;
        leaves.Sort((a, b) => a.Slot.CompareTo(b.Slot));
        var leafSlots = new int[leaves.Count];
        var leafHashes = new byte[leaves.Count][];
        for (int i = 0; i < leaves.Count; i++) (leafSlots[i], leafHashes[i]) = leaves[i];
        var planned = new LayoutChange(changes, slots, tree.Prepare(size, leafSlots, leafHashes));
        last = planned;
        return planned;
    }

    private static byte[] LeafHash(string key, byte[] value) => BclMerkleHasher.Instance.LeafHash(StateTree.Leaf(key, value));

    /// <summary>
    /// <see cref="LeafHash"/> of a value a block's rules just encoded (one canonical CBOR item by construction): the
    /// leaf [key, value] is the array head and the key's text item followed by the value's bytes as they are
    /// (chain.md §3), so the value is hashed where it lies instead of being parsed again and copied into a leaf, as
    /// <see cref="StateTree.Leaf"/> does to check a value of unknown origin (issue 18). Stored values (a snapshot) still
    /// go through <see cref="StateTree.Leaf"/>.
    /// </summary>
    private static byte[] ChangedLeafHash(string key, byte[] value)
    {
        CborWriter w = Cbor.ReusedWriterKeysInOrder();
        w.WriteStartArray(2);
        w.WriteTextString(key);
        // A one-byte placeholder for the value (null, 0xf6), cut off below: what is left is the head and the key.
        w.WriteNull();
        w.WriteEndArray();
        int length = w.BytesWritten;
        Span<byte> leafHead = length <= 256 ? stackalloc byte[length] : new byte[length];
        w.Encode(leafHead);
        return BclMerkleHasher.Instance.LeafHash(leafHead[..^1], value);
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

    /// <summary>The free slots of the committed tree and those a block frees, merged in ascending order.</summary>
    private sealed class LowestFree(SortedSet<int> committedFree, List<int> freed)
    {
        // Not readonly: the enumerator is a struct, and MoveNext on a readonly field would advance a copy.
        private SortedSet<int>.Enumerator committedSlots = committedFree.GetEnumerator();
        private bool committedStarted;
        private bool hasCommitted;
        private int nextFreed;

        public int? Take()
        {
            if (!committedStarted)
            {
                hasCommitted = committedSlots.MoveNext();
                committedStarted = true;
            }
            bool hasFreed = nextFreed < freed.Count;
            if (!hasCommitted && !hasFreed) return null;
            if (hasCommitted && (!hasFreed || committedSlots.Current < freed[nextFreed]))
            {
                int slot = committedSlots.Current;
                hasCommitted = committedSlots.MoveNext();
                return slot;
            }
            return freed[nextFreed++];
        }

        /// <summary>The slots the block freed that no new key took: their leaves become empty.</summary>
        public IEnumerable<int> FreedLeft()
        {
            for (int i = nextFreed; i < freed.Count; i++) yield return freed[i];
        }
    }
}
