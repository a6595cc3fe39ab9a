using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Storage.Tests;

/// <summary>Damage to any stored row is found on open, and the message says which row and what is wrong.</summary>
public sealed class CorruptionTests
{
    private static string OpenFails(StoreFixture f, VerifyMode mode = VerifyMode.Full) =>
        Assert.Throws<ChainStoreException>(() => f.Open(mode).Dispose()).Message;

    [Theory]
    [InlineData(VerifyMode.Full)]
    [InlineData(VerifyMode.Headers)]
    public void An_altered_header_byte(VerifyMode mode)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        byte[] header = f.Block(3).Header.Encode();
        header[^1] ^= 0x01; // last byte of the proposer key: still decodes, hashes differently
        f.Tamper("UPDATE blocks SET header = $h WHERE height = 3", ("$h", header));

        string message = OpenFails(f, mode);
        Assert.Contains("block 3", message);
        Assert.Contains("altered", message);
    }

    [Fact]
    public void A_header_row_that_is_no_longer_cbor()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("UPDATE blocks SET header = x'ff00' WHERE height = 2");
        Assert.Contains("block 2: stored row does not decode", OpenFails(f));
    }

    [Theory]
    [InlineData(VerifyMode.Full)]
    [InlineData(VerifyMode.Headers)]
    public void A_swapped_body(VerifyMode mode)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("UPDATE blocks SET body = (SELECT body FROM blocks WHERE height = 1) WHERE height = 3");
        string message = OpenFails(f, mode);
        Assert.Contains("block 3", message);
        Assert.Contains("does not match", message); // the carried commit (field 10) or the tx root, whichever is checked first
    }

    [Fact]
    public void A_missing_block()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("DELETE FROM blocks WHERE height = 2");
        Assert.Contains("block 2 is missing", OpenFails(f));
    }

    [Fact]
    public void A_forged_commit_signature()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        byte[] commit = f.Block(2).Commit.Encode();
        commit[^1] ^= 0x80;
        f.Tamper("UPDATE blocks SET commit_sigs = $c WHERE height = 2", ("$c", commit));
        string message = OpenFails(f, VerifyMode.Headers);
        Assert.Contains("block 2", message);
        Assert.Contains("is not a precommit of height 2", message);
    }

    [Theory]
    [InlineData(VerifyMode.Full, "balance/h1")]
    [InlineData(VerifyMode.Headers, "state table does not match the tip")]
    public void An_altered_balance_in_the_state_table(VerifyMode mode, string expected)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("UPDATE state SET value = $v WHERE key = 'balance/h1'", ("$v", StateValues.EncodeInt(1_000_000)));
        Assert.Contains(expected, OpenFails(f, mode));
    }

    [Fact]
    public void A_deleted_index_row()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper("DELETE FROM txs WHERE height = (SELECT MIN(height) FROM txs) AND idx = 0");
        Assert.Contains("index table 'txs'", OpenFails(f));
    }

    [Fact]
    public void An_intact_store_still_opens_after_these_checks()
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        using ChainStore store = f.Open();
        Assert.Equal(Hashes.Hex(f.Community.State.StateRoot), Hashes.Hex(store.State.StateRoot));
    }
}
