using System;
using System.IO;
using System.Linq;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Storage.Tests;

public sealed class ChainStoreTests
{
    [Theory]
    [InlineData(VerifyMode.Full)]
    [InlineData(VerifyMode.Headers)]
    public void Reopening_verifies_and_restores_the_tip_state(VerifyMode mode)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();

        using ChainStore reopened = f.Open(mode);

        Assert.Equal(f.Community.Blocks.Count, reopened.Height);
        Assert.Equal(Hashes.Hex(f.Community.State.StateRoot), Hashes.Hex(reopened.State.StateRoot));
        Assert.Equal(f.Community.State.TipHash, reopened.State.TipHash);
        Assert.True(File.Exists(f.DatabasePath));
        Assert.Equal("wal", f.Scalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void A_new_store_starts_at_genesis_and_can_continue_after_reopening()
    {
        using var f = new StoreFixture();
        using (ChainStore store = f.Open()) Assert.Equal(0, store.Height);
        f.StoreBlocks(3);
        f.StoreBlocks();
        using ChainStore reopened = f.Open();
        Assert.Equal(f.Community.Blocks.Count, reopened.Height);
    }

    [Fact]
    public void A_different_genesis_is_refused()
    {
        using var f = new StoreFixture();
        f.StoreBlocks(2);
        GenesisDocument other = f.Community.Genesis with { RetailPrice = 301 };
        var e = Assert.Throws<ChainStoreException>(() => ChainStore.Open(f.DatabasePath, other));
        Assert.Contains("not of the given genesis", e.Message);
    }

    [Fact]
    public void Transaction_by_id_comes_with_a_proof_against_its_header()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        byte[] txBytes = f.Block(3).Body.Transactions[1];

        StoredTransaction tx = store.GetTransaction(Hashes.Sha256(txBytes))!;

        Assert.Equal(3, tx.Height);
        Assert.Equal(txBytes, tx.Bytes);
        Assert.True(MerkleTree.VerifyInclusion(tx.Bytes, tx.Index, tx.TxCount, tx.Proof, tx.Header.TxRoot));
        Assert.Null(store.GetTransaction(new byte[32]));
    }

    [Fact]
    public void Readings_balances_and_settlements_can_be_queried()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();

        var readings = store.GetReadings("m1");
        Assert.Equal(f.Community.State.View().Meter("m1")!.LastSequence, readings.Count);
        Assert.Equal(Enumerable.Range(1, readings.Count).Select(i => (long)i), readings.Select(r => r.Sequence));
        Assert.Single(store.GetReadings("m1", afterSequence: 1, limit: 1));

        BalanceWithProof balance = store.GetBalance("h1")!;
        Assert.Equal(f.Community.Balance("h1"), balance.Balance);
        Assert.True(balance.Proof.Verify(balance.Tip.StateRoot));
        Assert.Null(store.GetBalance("h9"));

        long firstInterval = Chain.Tests.Support.TestCommunity.IntervalStart(0);
        StoredSettlement settlement = store.GetSettlement(firstInterval)!;
        Assert.Equal(firstInterval, settlement.Result.IntervalStart);
        Assert.Equal(f.Community.Blocks.FindIndex(b => b.Body.Settlements.Any(s => s.IntervalStart == firstInterval)) + 1, settlement.Height);
    }

    [Fact]
    public void A_block_that_does_not_verify_writes_nothing()
    {
        using var f = new StoreFixture();
        f.StoreBlocks(2);
        using ChainStore store = f.Open();
        Assert.ThrowsAny<Exception>(() => store.Append(f.Block(4)));
        Assert.Equal(2, store.Height);
        Assert.Equal(2L, f.Scalar<long>("SELECT COUNT(*) FROM blocks"));
    }
}
