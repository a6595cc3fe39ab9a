using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Tests.State;

public sealed class CachedStateRootTests
{
    /// <summary>The definition: every entry re-encoded and hashed with the portable SHA-256.</summary>
    private static string FullRoot(IStateReader state) => Hashes.Hex(MerkleTree.Root(StateTree.Leaves(state)));

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

    /// <summary>One block's worth of writes: inserts, updates, deletes (of present and absent keys) and writes of the value already there.</summary>
    private static StateOverlay RandomBlock(Random random, StateEntries committed)
    {
        var overlay = new StateOverlay(committed);
        int writes = random.Next(0, 25);
        for (int i = 0; i < writes; i++)
        {
            string key = RandomKey(random);
            switch (random.Next(4))
            {
                case 0:
                    overlay.Delete(key);
                    break;
                case 1 when committed.Get(key) is { } same:
                    overlay.Set(key, (byte[])same.Clone());
                    break;
                default:
                    overlay.Set(key, RandomValue(random));
                    break;
            }
        }
        return overlay;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_the_full_portable_computation_after_every_block_of_random_changes(int seed)
    {
        var random = new Random(seed);
        var committed = new StateEntries();
        var roots = new CachedStateRoot(committed);
        for (int block = 0; block < 1500; block++)
        {
            StateOverlay overlay = RandomBlock(random, committed);
            IReadOnlyList<StateChange> changes = overlay.Changes();
            Assert.Equal(FullRoot(overlay), Hashes.Hex(roots.RootAfter(changes)));
            if (random.Next(4) == 0) Assert.Equal(FullRoot(overlay), Hashes.Hex(roots.RootAfter(changes)));
            // Every other block is dropped, as a rejected block or a proposal nobody applied would be.
            if (random.Next(2) == 0) continue;
            committed.Apply(changes);
            roots.Apply(changes);
            Assert.Equal(FullRoot(committed), Hashes.Hex(roots.RootAfter([])));
            if (random.Next(50) == 0) RestartFromOneEntry(random, committed, roots);
        }
    }

    /// <summary>Deletes everything, then inserts one entry, checking the empty and the single-entry roots on the way.</summary>
    private static void RestartFromOneEntry(Random random, StateEntries committed, CachedStateRoot roots)
    {
        var changes = new List<StateChange>();
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) changes.Add(new StateChange(entry.Key, null));
        foreach (IReadOnlyList<StateChange> step in new[] { changes, [new StateChange(RandomKey(random), RandomValue(random))] })
        {
            Assert.Equal(FullRoot(Overlay(committed, step)), Hashes.Hex(roots.RootAfter(step)));
            committed.Apply(step);
            roots.Apply(step);
            Assert.Equal(FullRoot(committed), Hashes.Hex(roots.RootAfter([])));
        }
        Assert.Equal(1, committed.Count);
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

    [Fact]
    public void The_empty_state_and_a_single_entry_have_the_rfc_6962_roots()
    {
        var committed = new StateEntries();
        var roots = new CachedStateRoot(committed);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashes.Hex(roots.RootAfter([])));

        var changes = new[] { new StateChange("fund", StateValues.EncodeInt(5)) };
        string single = Hashes.Hex(MerkleTree.LeafHash(StateTree.Leaf("fund", StateValues.EncodeInt(5))));
        Assert.Equal(single, Hashes.Hex(roots.RootAfter(changes)));
        committed.Apply(changes);
        roots.Apply(changes);
        Assert.Equal(single, Hashes.Hex(roots.RootAfter([])));
    }

    [Fact]
    public void A_state_built_before_the_cache_gives_the_full_root()
    {
        var random = new Random(11);
        var committed = new StateEntries();
        for (int i = 0; i < 300; i++) committed.Apply([new StateChange(RandomKey(random), RandomValue(random))]);
        Assert.Equal(FullRoot(committed), Hashes.Hex(new CachedStateRoot(committed).RootAfter([])));
    }

    [Fact]
    public void The_same_keys_with_other_values_are_not_mistaken_for_the_last_changes()
    {
        var committed = new StateEntries();
        committed.Apply([new StateChange("a", StateValues.EncodeInt(1)), new StateChange("b", StateValues.EncodeInt(2))]);
        var roots = new CachedStateRoot(committed);
        byte[] value = StateValues.EncodeInt(3);
        var changes = new[] { new StateChange("b", value) };
        roots.RootAfter(changes);

        // Written in place after the first call: the remembered root must not be handed out for it.
        value[0] = StateValues.EncodeInt(4)[0];
        var overlay = new StateOverlay(committed);
        overlay.Set("b", value);
        Assert.Equal(FullRoot(overlay), Hashes.Hex(roots.RootAfter(changes)));

        overlay.Delete("b");
        Assert.Equal(FullRoot(overlay), Hashes.Hex(roots.RootAfter([new StateChange("b", null)])));
    }

    [Fact]
    public void Returned_roots_are_copies()
    {
        var committed = new StateEntries();
        committed.Apply([new StateChange("fund", StateValues.EncodeInt(0))]);
        var roots = new CachedStateRoot(committed);
        byte[] first = roots.RootAfter([]);
        string expected = Hashes.Hex(first);
        first[0] ^= 0xff;
        Assert.Equal(expected, Hashes.Hex(roots.RootAfter([])));
    }

    [Fact]
    public void Changes_out_of_key_order_are_refused()
    {
        var roots = new CachedStateRoot(new StateEntries());
        var unordered = new[] { new StateChange("b", StateValues.EncodeInt(1)), new StateChange("a", StateValues.EncodeInt(1)) };
        Assert.Throws<ArgumentException>(() => roots.RootAfter(unordered));
        var twice = new[] { new StateChange("a", StateValues.EncodeInt(1)), new StateChange("a", null) };
        Assert.Throws<ArgumentException>(() => roots.RootAfter(twice));
    }

    [Fact]
    public void Proofs_of_every_key_verify_with_the_portable_code_and_equal_the_full_ones()
    {
        var random = new Random(5);
        var committed = new StateEntries();
        var roots = new CachedStateRoot(committed);
        for (int block = 0; block < 40; block++)
        {
            IReadOnlyList<StateChange> changes = RandomBlock(random, committed).Changes();
            committed.Apply(changes);
            roots.Apply(changes);
        }
        byte[] root = MerkleTree.Root(StateTree.Leaves(committed));
        Assert.True(committed.Count > 10);
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries())
        {
            StateProof proof = roots.Prove(entry.Key)!;
            StateProof full = StateTree.Prove(committed, entry.Key)!;
            Assert.True(MerkleTree.VerifyInclusion(proof.Leaf, proof.Index, proof.TreeSize, proof.Path, root));
            Assert.True(proof.Verify(root));
            Assert.Equal((full.Index, full.TreeSize, Hashes.Hex(full.Leaf), Hashes.Hex(full.Root)), (proof.Index, proof.TreeSize, Hashes.Hex(proof.Leaf), Hashes.Hex(proof.Root)));
            Assert.Equal(Array.ConvertAll(full.Path, b => Hashes.Hex(b)), Array.ConvertAll(proof.Path, b => Hashes.Hex(b)));
        }
        Assert.Null(roots.Prove("absent"));
    }
}
