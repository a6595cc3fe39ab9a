using System;
using System.Linq;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Storage.Tests;

/// <summary>A failure between any two statements of a block's transaction leaves neither half a block on disk nor a moved state.</summary>
public sealed class AtomicityTests
{
    [Theory]
    [InlineData("block")]
    [InlineData("tx")]
    [InlineData("reading")]
    [InlineData("settlement")]
    [InlineData("state")]
    public void Failure_between_statements_leaves_nothing_half_written(string failAt)
    {
        using var f = new StoreFixture();
        int height = FirstBlockRunning(f, failAt);
        f.StoreBlocks(height - 1);
        string rowsBefore = Snapshot(f);

        using (ChainStore store = f.Open())
        {
            byte[] rootBefore = store.State.StateRoot;
            store.BeforeStatement = name =>
            {
                if (name == failAt) throw new InvalidOperationException("injected failure at " + name);
            };
            Assert.Throws<InvalidOperationException>(() => store.Append(f.Block(height)));
            Assert.Equal(height - 1, store.Height);
            Assert.Equal(rootBefore, store.State.StateRoot);

            store.BeforeStatement = null;
            store.Append(f.Block(height));
            Assert.Equal(height, store.Height);
        }
        using ChainStore reopened = f.Open();
        Assert.Equal(height, reopened.Height);
        Assert.NotEqual(rowsBefore, Snapshot(f));
    }

    [Fact]
    public void A_failed_append_is_invisible_after_reopening()
    {
        using var f = new StoreFixture();
        f.StoreBlocks(3);
        string rowsBefore = Snapshot(f);
        using (ChainStore store = f.Open())
        {
            store.BeforeStatement = name => { if (name == "state") throw new InvalidOperationException("crash"); };
            Assert.Throws<InvalidOperationException>(() => store.Append(f.Block(4)));
        }
        Assert.Equal(rowsBefore, Snapshot(f));
        using ChainStore reopened = f.Open();
        Assert.Equal(3, reopened.Height);
        Assert.Equal(Hashes.Hex(f.Block(3).Header.StateRoot), Hashes.Hex(reopened.State.StateRoot));
    }

    /// <summary>The first block after the enrolments whose write runs the statement <paramref name="name"/> after at least one other.</summary>
    private static int FirstBlockRunning(StoreFixture f, string name) => 3 + f.Community.Blocks.Skip(2).ToList().FindIndex(b => name switch
    {
        "tx" or "reading" => b.Body.Transactions.Count > 0,
        "settlement" => b.Body.Settlements.Count > 0,
        _ => true,
    });

    private static string Snapshot(StoreFixture f) => string.Join(",",
        f.Scalar<long>("SELECT COUNT(*) FROM blocks"), f.Scalar<long>("SELECT COUNT(*) FROM txs"),
        f.Scalar<long>("SELECT COUNT(*) FROM readings"), f.Scalar<long>("SELECT COUNT(*) FROM settlements"),
        f.Scalar<long>("SELECT COUNT(*) FROM state"), f.Scalar<long>("SELECT COALESCE(SUM(LENGTH(value)), 0) FROM state"));
}
