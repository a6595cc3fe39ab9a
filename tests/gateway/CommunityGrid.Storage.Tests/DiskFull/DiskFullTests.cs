using System;
using CommunityGrid.Chain.Encoding;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage.Tests.DiskFull;

/// <summary>
/// A block that does not fit on the disk is not stored at all and the tip stays where it was; once there is room the
/// same block appends. The full disk is SQLite's own SQLITE_FULL, provoked with PRAGMA max_page_count.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public void A_full_disk_leaves_file_and_state_at_the_last_block_and_the_same_block_appends_once_there_is_room()
    {
        using var f = new StoreFixture();
        f.StoreBlocks(1);
        int total = f.Community.Blocks.Count;
        long failedAt;
        using (ChainStore store = f.Open())
        {
            long cap = store.SetMaxPageCount(1);
            Assert.Equal(f.Scalar<long>("PRAGMA page_count"), cap);

            // Small blocks may still fit into free space on existing pages; the first that needs a new page fails.
            SqliteException? full = null;
            while (store.Height < total && full is null)
            {
                long before = store.Height;
                byte[] rootBefore = store.State.StateRoot;
                byte[] tipBefore = store.State.TipHash;
                string rows = Rows(f);
                full = Record.Exception(() => store.Append(f.Block(before + 1))) as SqliteException;
                if (full is null) continue;

                Assert.True(ChainStore.IsFull(full), $"expected SQLITE_FULL, got {full.SqliteErrorCode}: {full.Message}");
                Assert.Equal(before, store.Height);
                Assert.Equal(rootBefore, store.State.StateRoot);
                Assert.Equal(tipBefore, store.State.TipHash);
                Assert.Equal(rows, Rows(f));
                // A retry on a still-full disk fails the same way and changes nothing either.
                Assert.True(ChainStore.IsFull(Assert.ThrowsAny<SqliteException>(() => store.Append(f.Block(before + 1)))));
                Assert.Equal(rows, Rows(f));
            }
            Assert.NotNull(full);
            failedAt = store.Height + 1;

            store.SetMaxPageCount(1_000_000);
            for (long h = failedAt; h <= total; h++) store.Append(f.Block(h));
            Assert.Equal(total, store.Height);
        }
        using ChainStore reopened = f.Open(VerifyMode.Full);
        Assert.Equal(total, reopened.Height);
        Assert.Equal(Hashes.Hex(f.Block(total).Header.StateRoot), Hashes.Hex(reopened.State.StateRoot));
    }

    /// <summary>Row counts and the stored tip, read from the file by another connection (what a reopen would see).</summary>
    private static string Rows(StoreFixture f) => string.Join(",",
        f.Scalar<long>("SELECT count(*) FROM blocks"), f.Scalar<long>("SELECT count(*) FROM txs"), f.Scalar<long>("SELECT count(*) FROM readings"),
        f.Scalar<long>("SELECT count(*) FROM settlements"), f.Scalar<long>("SELECT count(*) FROM state"),
        f.Scalar<long>("SELECT coalesce(max(height), 0) FROM blocks"));
}
