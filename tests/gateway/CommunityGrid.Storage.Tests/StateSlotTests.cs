using System;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Storage.Tests;

/// <summary>The state table keeps each entry's slot in the state tree (chain.md §3, §7): a restart restores the layout, damage to it is found.</summary>
public sealed class StateSlotTests
{
    private static string OpenFails(StoreFixture f, VerifyMode mode) =>
        Assert.Throws<ChainStoreException>(() => f.Open(mode).Dispose()).Message;

    [Theory]
    [InlineData(VerifyMode.Full)]
    [InlineData(VerifyMode.Headers)]
    public void A_store_reopened_mid_chain_restores_the_slots_free_ones_included_and_takes_the_next_blocks(VerifyMode mode)
    {
        // Stored up to the first round's close, which freed slots below a live key; the last round (3 blocks) reuses them.
        using var f = new StoreFixture(Chain.Tests.Blocks.ReplayTests.ChainThatReusesSlots(4));
        int half = f.Community.Blocks.Count - 3;
        f.StoreBlocks(half);
        using (ChainStore reopened = f.Open(mode))
        {
            Assert.Contains(",-,", string.Join(",", Array.ConvertAll(reopened.State.SlotLayout(), k => k ?? "-")));
            for (int i = half; i < f.Community.Blocks.Count; i++) reopened.Append(f.Community.Blocks[i]);
            Assert.Equal(Hashes.Hex(f.Community.State.StateRoot), Hashes.Hex(reopened.State.StateRoot));
            Assert.Equal(f.Community.State.SlotLayout(), reopened.State.SlotLayout());
        }
        using ChainStore verified = f.Open(VerifyMode.Headers);
        Assert.Equal(Hashes.Hex(f.Community.State.StateRoot), Hashes.Hex(verified.State.StateRoot));
    }

    [Theory]
    [InlineData(VerifyMode.Full, "state table slot of key")]
    [InlineData(VerifyMode.Headers, "state table does not match the tip")]
    public void Two_entries_with_swapped_slots_are_found(VerifyMode mode, string expected)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("""
            UPDATE state SET slot = CASE key WHEN 'balance/h1' THEN (SELECT slot FROM state WHERE key = 'balance/h2')
                                             ELSE (SELECT slot FROM state WHERE key = 'balance/h1') END
            WHERE key IN ('balance/h1', 'balance/h2')
            """);
        Assert.Contains(expected, OpenFails(f, mode));
    }

    [Fact]
    public void A_slot_out_of_range_is_named()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("UPDATE state SET slot = 4000000000 WHERE key = 'fund'");
        Assert.Contains("key 'fund' has slot 4000000000", OpenFails(f, VerifyMode.Headers));
    }

    [Fact]
    public void A_store_of_another_schema_version_is_refused_with_what_to_do()
    {
        using var f = new StoreFixture();
        f.StoreBlocks(2);
        f.Tamper("UPDATE meta SET value = 1 WHERE key = 'schema_version'");
        string message = OpenFails(f, VerifyMode.Full);
        Assert.Contains("schema version 1", message);
        Assert.Contains("start the community's chain anew", message);
    }
}
