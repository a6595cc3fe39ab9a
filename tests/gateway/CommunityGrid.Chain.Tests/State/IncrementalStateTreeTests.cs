using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Tests.State;

/// <summary>
/// The incremental tree against the definition (<see cref="StateTree"/>: the plain slot rule and the full RFC 6962
/// root with the portable SHA-256), over random blocks that insert, update and delete, with restarts from stored
/// slots. The definition's layout is carried along independently, block by block.
/// </summary>
public sealed class IncrementalStateTreeTests
{
    /// <summary>The definition: every slot's leaf encoded and hashed with the portable SHA-256.</summary>
    private static string FullRoot(IStateReader state, string?[] layout) => Hashes.Hex(MerkleTree.Root(StateTree.Leaves(state, layout)));

    /// <summary>Keys shaped like the real ones, from a bounded space so that inserts, updates and deletes all keep happening.</summary>
    private static string RandomKey(Random random) => random.Next(6) switch
    {
        0 => "balance/h" + random.Next(20),
        1 => "meter/m" + random.Next(20),
        2 => "pending/" + random.Next(4).ToString("D19") + "/h" + random.Next(20),
        3 => "recent/" + random.Next(8).ToString("D19") + "/m" + random.Next(10) + "/" + random.Next(10).ToString("D19"),
        4 => random.Next(2) == 0 ? "fund" : "interval/next",
        _ => "validator/" + random.Next(5),
    };

    private static byte[] RandomValue(Random random) => random.Next(3) switch
    {
        0 => StateValues.EncodeInt(random.NextInt64(long.MinValue, long.MaxValue)),
        1 => StateValues.EncodeText("v" + random.Next(1000)),
        _ => StateValues.EncodeBytes(RandomBytes(random, random.Next(0, 70))),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// One block's worth of writes: inserts, updates, deletes (of present and absent keys) and writes of the value
    /// already there. Blocks range from mostly deleting to mostly writing, so the state shrinks and grows, leaving
    /// free slots inside the tree and at its end.
    /// </summary>
    private static StateOverlay RandomBlock(Random random, StateEntries committed)
    {
        var overlay = new StateOverlay(committed);
        int writes = random.Next(0, 25);
        int deleteEighths = random.Next(1, 8);
        for (int i = 0; i < writes; i++)
        {
            string key = RandomKey(random);
            if (random.Next(8) < deleteEighths)
            {
                overlay.Delete(key);
            }
            else if (random.Next(3) == 0 && committed.Get(key) is { } same)
            {
                overlay.Set(key, (byte[])same.Clone());
            }
            else
            {
                overlay.Set(key, RandomValue(random));
            }
        }
        return overlay;
    }


    /// <summary>A layout as text, "-" for a free slot.</summary>
    internal static string Shown(string?[] layout) => string.Join(",", Array.ConvertAll(layout, key => key ?? "-"));

    private static IEnumerable<KeyValuePair<string, int>> Slots(string?[] layout)
    {
        for (int slot = 0; slot < layout.Length; slot++)
        {
            if (layout[slot] is { } key) yield return new(key, slot);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_the_definition_after_every_block_of_random_changes_and_restarts_from_stored_slots(int seed)
    {
        var random = new Random(seed);
        var committed = new StateEntries();
        string?[] layout = [];
        var tree = IncrementalStateTree.InKeyOrder(committed);
        int reused = 0, dropped = 0;
        for (int block = 0; block < 1500; block++)
        {
            StateOverlay overlay = RandomBlock(random, committed);
            IReadOnlyList<StateChange> changes = overlay.Changes();
            string?[] after = StateTree.LayoutAfter(layout, changes);
            Assert.Equal(FullRoot(overlay, after), Hashes.Hex(tree.RootAfter(changes)));
            if (random.Next(4) == 0) Assert.Equal(FullRoot(overlay, after), Hashes.Hex(tree.RootAfter(changes)));
            // Every other block is dropped, as a rejected block or a proposal nobody applied would be.
            if (random.Next(2) == 0) continue;
            reused += CountReused(layout, after);
            dropped += Math.Max(0, layout.Length - after.Length);
            committed.Apply(changes);
            tree.Apply(changes);
            layout = after;
            Assert.Equal(Shown(layout), Shown(tree.Layout()));
            Assert.Equal(FullRoot(committed, layout), Hashes.Hex(tree.RootAfter([])));
            // A gateway restarted from its state table: the stored slots give the same tree.
            if (random.Next(20) == 0)
            {
                tree = IncrementalStateTree.FromSlots(committed, Slots(layout));
                Assert.Equal(FullRoot(committed, layout), Hashes.Hex(tree.RootAfter([])));
            }
            if (random.Next(100) == 0) layout = RestartFromOneEntry(random, committed, layout, tree);
        }
        // The random blocks did exercise the rule's corners: slots freed and taken again, free slots dropped at the end.
        Assert.True(reused > 50, $"only {reused} slots were reused");
        Assert.True(dropped > 10, $"only {dropped} slots were dropped at the end");
    }

    /// <summary>Slots that held one key before and another after.</summary>
    private static int CountReused(string?[] before, string?[] after)
    {
        int count = 0;
        for (int slot = 0; slot < Math.Min(before.Length, after.Length); slot++)
        {
            if (before[slot] is not null && after[slot] is not null && before[slot] != after[slot]) count++;
        }
        return count;
    }

    /// <summary>Deletes everything, then inserts one entry, checking the empty and the single-entry roots on the way.</summary>
    private static string?[] RestartFromOneEntry(Random random, StateEntries committed, string?[] layout, IncrementalStateTree tree)
    {
        var changes = new List<StateChange>();
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) changes.Add(new StateChange(entry.Key, null));
        foreach (IReadOnlyList<StateChange> step in new[] { changes, [new StateChange(RandomKey(random), RandomValue(random))] })
        {
            layout = StateTree.LayoutAfter(layout, step);
            Assert.Equal(FullRoot(Overlay(committed, step), layout), Hashes.Hex(tree.RootAfter(step)));
            committed.Apply(step);
            tree.Apply(step);
            Assert.Equal(FullRoot(committed, layout), Hashes.Hex(tree.RootAfter([])));
        }
        Assert.Equal(1, committed.Count);
        Assert.Equal(1, tree.Size);
        return layout;
    }

    private static StateOverlay Overlay(StateEntries committed, IReadOnlyList<StateChange> changes)
    {
        var overlay = new StateOverlay(committed);
        foreach (StateChange change in changes)
        {
            if (change.Value is null) overlay.Delete(change.Key);
            else overlay.Set(change.Key, change.Value);
        }
        return overlay;
    }

    private static StateChange Set(string key, long value) => new(key, StateValues.EncodeInt(value));

    private static byte[] LeafOf(string key, long value) => StateTree.Leaf(key, StateValues.EncodeInt(value));

    [Fact]
    public void Deletes_free_slots_new_keys_take_the_lowest_free_ones_in_key_order_then_append_and_free_slots_at_the_end_go()
    {
        var committed = new StateEntries();
        committed.Apply([Set("a", 1), Set("b", 2), Set("c", 3), Set("d", 4)]);
        var tree = IncrementalStateTree.InKeyOrder(committed);
        Assert.Equal("a,b,c,d", Shown(tree.Layout()));

        // b (slot 1) and d (slot 3) go; x, y, z come: x takes 1, y takes 3, z is appended.
        StateChange[] block = [new("b", null), new("d", null), Set("x", 5), Set("y", 6), Set("z", 7)];
        Assert.Equal([-1, -1, 1, 3, 4], tree.SlotsAfter(block));
        committed.Apply(block);
        tree.Apply(block);
        Assert.Equal("a,x,c,y,z", Shown(tree.Layout()));
        Assert.Equal(Hashes.Hex(MerkleTree.Root([LeafOf("a", 1), LeafOf("x", 5), LeafOf("c", 3), LeafOf("y", 6), LeafOf("z", 7)])), Hashes.Hex(tree.RootAfter([])));

        // The last two slots fall free: the tree shrinks to three.
        block = [new("y", null), new("z", null)];
        committed.Apply(block);
        tree.Apply(block);
        Assert.Equal("a,x,c", Shown(tree.Layout()));

        // A free slot inside the tree stays, its leaf the empty byte string.
        block = [new("x", null)];
        committed.Apply(block);
        tree.Apply(block);
        Assert.Equal("a,-,c", Shown(tree.Layout()));
        Assert.Equal(3, tree.Size);
        Assert.Equal(Hashes.Hex(MerkleTree.Root([LeafOf("a", 1), [], LeafOf("c", 3)])), Hashes.Hex(tree.RootAfter([])));
        StateProof proof = tree.Prove("c")!;
        Assert.Equal((2, 3), (proof.Index, proof.TreeSize));
        Assert.True(proof.Verify(tree.RootAfter([])));
        Assert.Null(tree.Prove("x"));

        // An update keeps its slot; a key deleted and written again later gets the lowest free slot, not its old one (z had 4).
        block = [Set("c", 8), Set("z", 9)];
        committed.Apply(block);
        tree.Apply(block);
        Assert.Equal("a,z,c", Shown(tree.Layout()));
    }

    [Fact]
    public void A_slot_freed_in_a_block_is_taken_by_a_new_key_of_the_same_block()
    {
        var committed = new StateEntries();
        committed.Apply([Set("a", 1), Set("m", 2)]);
        var tree = IncrementalStateTree.InKeyOrder(committed);
        StateChange[] block = [new("a", null), Set("b", 3)];
        Assert.Equal([-1, 0], tree.SlotsAfter(block));
        tree.Apply(block);
        Assert.Equal("b,m", Shown(tree.Layout()));
    }

    [Fact]
    public void The_empty_state_and_a_single_entry_have_the_rfc_6962_roots()
    {
        var committed = new StateEntries();
        var tree = IncrementalStateTree.InKeyOrder(committed);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashes.Hex(tree.RootAfter([])));

        var changes = new[] { Set("fund", 5) };
        string single = Hashes.Hex(MerkleTree.LeafHash(LeafOf("fund", 5)));
        Assert.Equal(single, Hashes.Hex(tree.RootAfter(changes)));
        committed.Apply(changes);
        tree.Apply(changes);
        Assert.Equal(single, Hashes.Hex(tree.RootAfter([])));
    }

    [Fact]
    public void A_fresh_state_in_key_order_has_the_root_of_its_sorted_entries()
    {
        var random = new Random(11);
        var committed = new StateEntries();
        for (int i = 0; i < 300; i++) committed.Apply([new StateChange(RandomKey(random), RandomValue(random))]);
        var sorted = new List<byte[]>();
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) sorted.Add(StateTree.Leaf(entry.Key, entry.Value));
        Assert.Equal(Hashes.Hex(MerkleTree.Root(sorted.ToArray())), Hashes.Hex(IncrementalStateTree.InKeyOrder(committed).RootAfter([])));
    }

    [Fact]
    public void The_same_keys_with_other_values_are_not_mistaken_for_the_last_changes()
    {
        var committed = new StateEntries();
        committed.Apply([Set("a", 1), Set("b", 2)]);
        var tree = IncrementalStateTree.InKeyOrder(committed);
        string?[] layout = tree.Layout();
        byte[] value = StateValues.EncodeInt(3);
        var changes = new[] { new StateChange("b", value) };
        tree.RootAfter(changes);

        // Written in place after the first call: the remembered root must not be handed out for it.
        value[0] = StateValues.EncodeInt(4)[0];
        var overlay = new StateOverlay(committed);
        overlay.Set("b", value);
        Assert.Equal(FullRoot(overlay, layout), Hashes.Hex(tree.RootAfter(changes)));

        overlay.Delete("b");
        var deleted = new[] { new StateChange("b", null) };
        Assert.Equal(FullRoot(overlay, StateTree.LayoutAfter(layout, deleted)), Hashes.Hex(tree.RootAfter(deleted)));
    }

    [Fact]
    public void Returned_roots_are_copies()
    {
        var committed = new StateEntries();
        committed.Apply([Set("fund", 0)]);
        var tree = IncrementalStateTree.InKeyOrder(committed);
        byte[] first = tree.RootAfter([]);
        string expected = Hashes.Hex(first);
        first[0] ^= 0xff;
        Assert.Equal(expected, Hashes.Hex(tree.RootAfter([])));
        tree.Prove("fund")!.Root[0] ^= 0xff;
        Assert.Equal(expected, Hashes.Hex(tree.RootAfter([])));
    }

    [Fact]
    public void Changes_out_of_key_order_are_refused()
    {
        var tree = IncrementalStateTree.InKeyOrder(new StateEntries());
        var unordered = new[] { Set("b", 1), Set("a", 1) };
        Assert.Throws<ArgumentException>(() => tree.RootAfter(unordered));
        var twice = new[] { Set("a", 1), new StateChange("a", null) };
        Assert.Throws<ArgumentException>(() => tree.RootAfter(twice));
    }

    [Fact]
    public void Proofs_of_every_key_verify_with_the_portable_code_and_equal_the_definitions()
    {
        var random = new Random(5);
        var committed = new StateEntries();
        var tree = IncrementalStateTree.InKeyOrder(committed);
        string?[] layout = [];
        for (int block = 0; block < 60; block++)
        {
            IReadOnlyList<StateChange> changes = RandomBlock(random, committed).Changes();
            layout = StateTree.LayoutAfter(layout, changes);
            committed.Apply(changes);
            tree.Apply(changes);
        }
        // Then every third key goes, which leaves free slots inside the tree.
        var deletes = new List<StateChange>();
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries())
        {
            if (deletes.Count * 3 < committed.Count && random.Next(3) == 0) deletes.Add(new StateChange(entry.Key, null));
        }
        layout = StateTree.LayoutAfter(layout, deletes);
        committed.Apply(deletes);
        tree.Apply(deletes);
        byte[] root = MerkleTree.Root(StateTree.Leaves(committed, layout));
        Assert.True(committed.Count > 10);
        Assert.True(Array.IndexOf(layout, null) >= 0, "no slot is free; the proofs do not cover free slots");
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries())
        {
            StateProof proof = tree.Prove(entry.Key)!;
            StateProof full = StateTree.Prove(committed, layout, entry.Key)!;
            Assert.True(MerkleTree.VerifyInclusion(proof.Leaf, proof.Index, proof.TreeSize, proof.Path, root));
            Assert.True(proof.Verify(root));
            Assert.Equal((full.Index, full.TreeSize, Hashes.Hex(full.Leaf), Hashes.Hex(full.Root)), (proof.Index, proof.TreeSize, Hashes.Hex(proof.Leaf), Hashes.Hex(proof.Root)));
            Assert.Equal(Array.ConvertAll(full.Path, b => Hashes.Hex(b)), Array.ConvertAll(proof.Path, b => Hashes.Hex(b)));
        }
        Assert.Null(tree.Prove("absent"));
    }

    [Theory]
    [InlineData("a:0 b:0", "both have slot 0")]
    [InlineData("a:0 a:1", "'a' has more than one slot")]
    [InlineData("a:0", "'b' has no slot")]
    [InlineData("a:0 b:1 c:2", "'c', which the state does not hold")]
    [InlineData("a:-1 b:1", "slot -1, outside")]
    [InlineData("a:0 b:1073741824", "outside 0..")]
    public void Stored_slots_that_are_no_layout_of_the_entries_are_refused(string slots, string problem)
    {
        var committed = new StateEntries();
        committed.Apply([Set("a", 1), Set("b", 2)]);
        var pairs = new List<KeyValuePair<string, int>>();
        foreach (string pair in slots.Split(' ')) pairs.Add(new(pair.Split(':')[0], int.Parse(pair.Split(':')[1])));
        var e = Assert.Throws<ChainFormatException>(() => IncrementalStateTree.FromSlots(committed, pairs));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Stored_slots_with_gaps_restore_the_free_slots()
    {
        var committed = new StateEntries();
        committed.Apply([Set("a", 1), Set("b", 2)]);
        var tree = IncrementalStateTree.FromSlots(committed, [new("a", 2), new("b", 0)]);
        Assert.Equal("b,-,a", Shown(tree.Layout()));
        Assert.Equal(Hashes.Hex(MerkleTree.Root([LeafOf("b", 2), [], LeafOf("a", 1)])), Hashes.Hex(tree.RootAfter([])));
        Assert.Equal([1], tree.SlotsAfter([Set("c", 3)]));
    }
}
