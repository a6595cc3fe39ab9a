using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Tests.State;

/// <summary>
/// State records kept typed beside their bytes (issue 18) change no byte: a record handed out is what decoding the
/// bytes gives and encodes back to them, a replay that starts every block from stored bytes only (no record kept)
/// makes the same changes and roots as one whose records flow from block to block, the encoders with the reused
/// writer give the canonical writer's bytes, and a changed leaf hashed in two pieces is the definition's leaf.
/// </summary>
public sealed class TypedStateRecordsTests
{
    /// <summary>The busy chain, then a block holding two readings of one meter, so the second reads the record the first wrote in the same block.</summary>
    private static TestCommunity ChainWithTwoReadingsOfAMeterInABlock()
    {
        TestCommunity c = ReplayTests.ChainThatReusesSlots(4);
        MeterRecord m1 = c.State.View().Meter("m1")!;
        long interval = 6;
        c.Produce(TestCommunity.EndOf(interval),
            c.ReadingTx("m1", m1.LastSequence + 1, interval, m1.ImportWh + 5, m1.ExportWh + 1),
            c.ReadingTx("m1", m1.LastSequence + 2, interval, m1.ImportWh + 12, m1.ExportWh + 3));
        c.Produce(TestCommunity.CloseOf(interval));
        return c;
    }

    [Fact]
    public void A_replay_keeping_records_and_one_decoding_every_block_from_stored_bytes_make_the_same_changes_and_roots()
    {
        using TestCommunity c = ChainWithTwoReadingsOfAMeterInABlock();
        ChainState flowing = ChainState.FromGenesis(c.Genesis);
        int recordsCarried = 0;
        for (int h = 0; h < c.Blocks.Count; h++)
        {
            Block block = c.Blocks[h];
            // Restored from the entries' bytes and slots alone, as a gateway restarts: every record is decoded from bytes.
            ChainState fromBytes = h == 0
                ? ChainState.FromGenesis(c.Genesis)
                : ChainState.FromSnapshot(c.Genesis, c.Blocks[h - 1].Header, c.Blocks[h - 1].Commit, new List<SlottedEntry>(flowing.SlottedEntries()));
            PreparedBlock plain = fromBytes.ApplyBlock(block);
            PreparedBlock typed = flowing.ApplyBlock(block);

            Assert.Equal(Hashes.Hex(plain.StateRoot), Hashes.Hex(typed.StateRoot));
            Assert.Equal(Hashes.Hex(block.Header.StateRoot), Hashes.Hex(typed.StateRoot));
            Assert.Equal(Shown(plain.Changes), Shown(typed.Changes));
            Assert.Equal(plain.Slots, typed.Slots);
            Assert.Equal(StateRootDefinition.Hex(flowing.Entries, flowing.SlotLayout()), Hashes.Hex(flowing.StateRoot));
            foreach (StateChange change in typed.Changes)
            {
                if (change.Record is null) continue;
                recordsCarried++;
                Assert.Equal(Convert.ToHexString(change.Value!), Convert.ToHexString(Encode(change.Record)));
            }
            AssertRecordsAreTheBytes(flowing.Entries);
        }
        Assert.True(recordsCarried > 0, "no change carried a record; the test does not test records");
        Assert.Equal(c.State.StateRoot, flowing.StateRoot);
    }

    /// <summary>Every meter and pending record the committed state hands out decodes from, and encodes to, its bytes.</summary>
    private static void AssertRecordsAreTheBytes(IStateReader committed)
    {
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries())
        {
            object? record = entry.Key.StartsWith("meter/", StringComparison.Ordinal) ? committed.GetRecord(entry.Key, MeterRecord.Decode)
                : entry.Key.StartsWith(StateKeys.PendingPrefix, StringComparison.Ordinal) ? committed.GetRecord(entry.Key, PendingEnergy.Decode)
                : null;
            if (record is null) continue;
            object decoded = record is MeterRecord ? MeterRecord.Decode(entry.Value) : PendingEnergy.Decode(entry.Value);
            Assert.Equal(Shown(decoded), Shown(record));
            Assert.Equal(Convert.ToHexString(entry.Value), Convert.ToHexString(Encode(record)));
        }
    }

    [Fact]
    public void An_overlay_hands_out_the_record_written_with_the_bytes_and_never_one_the_bytes_no_longer_hold()
    {
        var committed = new StateEntries();
        var before = new PendingEnergy(1, 2);
        committed.Apply([new StateChange("pending/a", before.Encode())]);
        PendingEnergy decodedOnce = committed.GetRecord("pending/a", PendingEnergy.Decode)!;
        Assert.Equal(before, decodedOnce);
        Assert.Same(decodedOnce, committed.GetRecord("pending/a", PendingEnergy.Decode));

        var block = new StateOverlay(committed);
        var tx = new StateOverlay(block);
        var written = new PendingEnergy(3, 4);
        tx.SetRecord("pending/a", written.Encode(), written);
        Assert.Same(written, tx.GetRecord("pending/a", PendingEnergy.Decode));
        Assert.Same(decodedOnce, block.GetRecord("pending/a", PendingEnergy.Decode));
        block.SetRecord("pending/a", written.Encode(), written);
        var nextTx = new StateOverlay(block);
        Assert.Same(written, nextTx.GetRecord("pending/a", PendingEnergy.Decode));
        Assert.Same(decodedOnce, committed.GetRecord("pending/a", PendingEnergy.Decode));

        // Written as bytes: the record written before is gone, the new bytes are decoded.
        block.Set("pending/a", new PendingEnergy(5, 6).Encode());
        Assert.Equal(new PendingEnergy(5, 6), block.GetRecord("pending/a", PendingEnergy.Decode));
        block.Delete("pending/b");
        Assert.Null(block.GetRecord("pending/b", PendingEnergy.Decode));
        block.SetRecord("pending/c", written.Encode(), written);
        block.Delete("pending/c");
        Assert.Null(block.GetRecord("pending/c", PendingEnergy.Decode));

        IReadOnlyList<StateChange> changes = block.Changes();
        Assert.Equal(new[] { "pending/a" }, ChangedKeys(changes));
        committed.Apply(changes);
        Assert.Equal(new PendingEnergy(5, 6), committed.GetRecord("pending/a", PendingEnergy.Decode));

        // A change that carries a record hands it out once committed, without decoding.
        var carried = new PendingEnergy(7, 8);
        committed.Apply([new StateChange("pending/a", carried.Encode()) { Record = carried }]);
        Assert.Same(carried, committed.GetRecord("pending/a", PendingEnergy.Decode));
    }

    private static IEnumerable<string> ChangedKeys(IReadOnlyList<StateChange> changes)
    {
        foreach (StateChange change in changes) yield return change.Key;
    }

    [Fact]
    public void Records_encoded_with_the_reused_writer_are_the_canonical_writers_bytes()
    {
        var random = new Random(18);
        long[] edges = [0, 1, 23, 24, 255, 256, 65_535, 65_536, uint.MaxValue, (long)uint.MaxValue + 1, long.MaxValue, -1, -24, -25, -256, -257, long.MinValue];
        for (int i = 0; i < 2_000; i++)
        {
            long Pick() => random.Next(3) == 0 ? edges[random.Next(edges.Length)] : random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            var key = new byte[32];
            random.NextBytes(key);
            var meter = new MeterRecord(key, "h" + new string('x', random.Next(0, 40)), (MeterRole)random.Next(0, 3), Pick(), Pick(), Pick(), Pick(), Pick());
            Assert.Equal(Convert.ToHexString(CanonicalMeter(meter)), Convert.ToHexString(meter.Encode()));
            long a = Pick(), b = Pick();
            Assert.Equal(Convert.ToHexString(Canonical(w => { w.WriteStartArray(2); w.WriteInt64(a); w.WriteInt64(b); w.WriteEndArray(); })),
                Convert.ToHexString(new PendingEnergy(a, b).Encode()));
            Assert.Equal(Convert.ToHexString(Canonical(w => w.WriteInt64(a))), Convert.ToHexString(StateValues.EncodeInt(a)));
        }
    }

    [Fact]
    public void A_changed_leaf_of_any_key_and_value_length_hashes_as_the_definitions_leaf()
    {
        var committed = new StateEntries();
        committed.Apply([new StateChange("a", StateValues.EncodeInt(1)), new StateChange("z", StateValues.EncodeInt(2))]);
        IncrementalStateTree tree = IncrementalStateTree.InKeyOrder(committed);
        string?[] layout = StateTree.LayoutInKeyOrder(committed);
        // Keys whose text head takes 1, 2 and 3 bytes (lengths 23/24, 255/256) and values past the hasher's stack buffer.
        foreach (int keyLength in new[] { 1, 23, 24, 255, 256, 700 })
        {
            foreach (int valueLength in new[] { 0, 10, 480, 600, 5_000 })
            {
                string key = "b" + new string('k', keyLength - 1);
                var changes = new List<StateChange>
                {
                    new("a", StateValues.EncodeBytes(new byte[valueLength])),
                    new(key, StateValues.EncodeText(new string('v', valueLength))),
                };
                changes.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
                var after = new StateEntries();
                after.Apply(ToChanges(committed.Entries()));
                after.Apply(changes);
                Assert.Equal(StateRootDefinition.Hex(after, StateTree.LayoutAfter(layout, changes)), Hashes.Hex(tree.RootAfter(changes)));
            }
        }
    }

    private static List<StateChange> ToChanges(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        var changes = new List<StateChange>();
        foreach (KeyValuePair<string, byte[]> entry in entries) changes.Add(new StateChange(entry.Key, entry.Value));
        return changes;
    }

    private static byte[] Canonical(Action<CborWriter> write)
    {
        CborWriter w = Cbor.Writer();
        write(w);
        return w.Encode();
    }

    /// <summary>The meter record as chain.md §3 defines it, written by the canonical writer (which sorts the keys itself).</summary>
    private static byte[] CanonicalMeter(MeterRecord m) => Canonical(w =>
    {
        w.WriteStartMap(8);
        w.WriteInt32(8); w.WriteInt64(m.PvWh);
        w.WriteInt32(1); w.WriteByteString(m.PublicKey);
        w.WriteInt32(3); w.WriteInt32((int)m.Role);
        w.WriteInt32(2); w.WriteTextString(m.HouseId);
        w.WriteInt32(4); w.WriteInt64(m.LastSequence);
        w.WriteInt32(6); w.WriteInt64(m.ImportWh);
        w.WriteInt32(5); w.WriteInt64(m.LastIntervalStart);
        w.WriteInt32(7); w.WriteInt64(m.ExportWh);
        w.WriteEndMap();
    });

    private static byte[] Encode(object record) => record switch
    {
        MeterRecord m => m.Encode(),
        PendingEnergy p => p.Encode(),
        _ => throw new ArgumentException($"no encoding for {record.GetType().Name}"),
    };

    private static string Shown(object record) => record is MeterRecord m
        ? $"{Convert.ToHexString(m.PublicKey)} {m.HouseId} {m.Role} {m.LastSequence} {m.LastIntervalStart} {m.ImportWh} {m.ExportWh} {m.PvWh}"
        : record.ToString()!;

    private static List<string> Shown(IReadOnlyList<StateChange> changes)
    {
        var shown = new List<string>();
        foreach (StateChange change in changes) shown.Add(change.Key + "=" + (change.Value is null ? "deleted" : Convert.ToHexString(change.Value)));
        return shown;
    }
}
