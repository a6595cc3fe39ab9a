using System;
using System.IO;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage.Tests;

/// <summary>A real database file in a fresh temporary directory, and a busy test chain to store in it.</summary>
public sealed class StoreFixture : IDisposable
{
    public StoreFixture(int intervals = 4) : this(ReplayTests.BusyChain(intervals))
    {
    }

    public StoreFixture(TestCommunity community)
    {
        Directory = Path.Combine(Path.GetTempPath(), "cgrid-store-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Community = community;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "chain.db");
    public TestCommunity Community { get; }

    public ChainStore Open(VerifyMode mode = VerifyMode.Full) => ChainStore.Open(DatabasePath, Community.Genesis, mode);

    /// <summary>Stores the first <paramref name="count"/> blocks of the test chain (all by default).</summary>
    public void StoreBlocks(int? count = null)
    {
        using ChainStore store = Open();
        for (int i = (int)store.Height; i < (count ?? Community.Blocks.Count); i++) store.Append(Community.Blocks[i]);
    }

    /// <summary>Runs SQL against the file behind the store's back, as disk corruption or a meddling hand would.</summary>
    public void Tamper(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    public T Scalar<T>(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)command.ExecuteScalar()!;
    }

    public Block Block(long height) => Community.Blocks[(int)height - 1];

    /// <summary>The refusal that opening a store with a block that does not replay starts with.</summary>
    public const string ReplayRefusal = "chain store does not verify: stored block does not replay: ";

    /// <summary>Writes <paramref name="damaged"/> over the stored block of its height, header, body and commit alike.</summary>
    public void StoreInstead(Block damaged) =>
        Tamper("UPDATE blocks SET hash = $hash, header = $header, body = $body, commit_sigs = $commit WHERE height = $h",
            ("$hash", damaged.Header.Hash()), ("$header", damaged.Header.Encode()), ("$body", damaged.Body.Encode()),
            ("$commit", damaged.Commit.Encode()), ("$h", damaged.Height));

    /// <summary>What replaying the blocks one by one, with <paramref name="damaged"/> in its place, says about it: the message opening the store must give.</summary>
    public string SequentialVerdict(Block damaged)
    {
        ChainState state = ChainState.FromGenesis(Community.Genesis);
        foreach (Block block in Community.Blocks.TakeWhile(b => b.Height < damaged.Height)) state.ApplyBlock(block);
        return ReplayRefusal + Xunit.Assert.Throws<BlockVerificationException>(() => state.ApplyBlock(damaged)).Message;
    }

    public void Dispose()
    {
        Community.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
