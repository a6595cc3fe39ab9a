using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// Issue 11 case 7: damage below the chain's rows — SQLite's own structures — and values of the wrong type are
/// reported as a <see cref="ChainStoreException"/> that says what is damaged and what to do, never as a SQLite or
/// cast exception.
/// </summary>
public sealed class DamagedFileTests
{
    private static StoreFixture StoredChain()
    {
        var f = new StoreFixture();
        f.StoreBlocks();
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(f.DatabasePath + "-wal") && new FileInfo(f.DatabasePath + "-wal").Length > 0, "the WAL must be checkpointed into the file");
        return f;
    }

    private static void Overwrite(string path, long offset, byte[] bytes)
    {
        using FileStream file = File.OpenWrite(path);
        file.Position = offset;
        file.Write(bytes);
    }

    private static string OpenFails(StoreFixture f) =>
        Assert.Throws<ChainStoreException>(() => f.Open().Dispose()).Message;

    [Fact]
    public void A_damaged_file_header()
    {
        using StoreFixture f = StoredChain();
        Overwrite(f.DatabasePath, 0, "XQLite"u8.ToArray());
        string message = OpenFails(f);
        Assert.Contains("is damaged", message);
        Assert.Contains("restore chain.sqlite from a backup or copy it from a peer gateway", message);
    }

    [Fact]
    public void A_malformed_page()
    {
        using StoreFixture f = StoredChain();
        long pageSize = 4096, length = new FileInfo(f.DatabasePath).Length;
        var garbage = new byte[pageSize];
        new Random(3).NextBytes(garbage);
        for (long page = 1; page * pageSize < length; page += 2) Overwrite(f.DatabasePath, page * pageSize, garbage);
        string message = OpenFails(f);
        Assert.Contains("damaged", message);
        Assert.Contains("peer gateway", message);
    }

    [Fact]
    public void A_file_truncated_to_half()
    {
        using StoreFixture f = StoredChain();
        using (FileStream file = File.OpenWrite(f.DatabasePath)) file.SetLength(file.Length / 2);
        string message = OpenFails(f);
        Assert.Contains("damaged", message);
        Assert.Contains("backup", message);
    }

    [Theory]
    [InlineData("UPDATE blocks SET header = CAST(header AS TEXT) WHERE height = 2", "block 2: column 'header' holds TEXT")]
    [InlineData("UPDATE blocks SET body = hex(body) WHERE height = 3", "block 3: column 'body' holds TEXT")]
    [InlineData("UPDATE state SET value = 'x' WHERE key = 'fund'", "state table: a row holds TEXT / TEXT")]
    [InlineData("UPDATE meta SET value = 'x' WHERE key = 'genesis_hash'", "genesis hash holds TEXT")]
    [InlineData("UPDATE meters SET meter_id = CAST(meter_id AS BLOB)", "column 'meter_id' holds bytes")]
    public void A_value_of_the_wrong_type(string sql, string expected)
    {
        using var f = new StoreFixture();
        f.StoreBlocks();
        f.Tamper(sql);
        Assert.Contains(expected, OpenFails(f));
    }
}
