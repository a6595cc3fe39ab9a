using System;
using System.IO;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// Issue 11 case 5: a data directory that held a chain never silently starts again from genesis. The file-level
/// rule (an existing file without a chain is refused) and the directory's marker (a lost file is refused) both hold;
/// a new chain is made only in a new directory or on request (--init).
/// </summary>
public sealed class LostChainTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("cgrid-lost-").FullName;
    private readonly TestCommunity c = ReplayTests.BusyChain(3);

    public void Dispose()
    {
        c.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string Database => Path.Combine(directory, ChainDirectory.DatabaseFileName);

    private void StoreChain()
    {
        using ChainStore store = ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init: false);
        foreach (var block in c.Blocks) store.Append(block);
        SqliteConnection.ClearAllPools();
    }

    private ChainStoreException OpenFails(bool init = false) =>
        Assert.Throws<ChainStoreException>(() => ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init).Dispose());

    [Fact]
    public void A_zero_length_file_is_refused_not_restarted()
    {
        StoreChain();
        File.WriteAllBytes(Database, []);
        ChainStoreException e = OpenFails();
        Assert.Contains("holds no chain: the file is empty (0 bytes)", e.Message);
        Assert.Contains("--init", e.Message);
        Assert.Equal(0, new FileInfo(Database).Length); // nothing was written into it
        // Also straight at the store, without the directory's marker.
        Assert.True(Assert.Throws<ChainStoreException>(() => ChainStore.Open(Database, c.Genesis).Dispose()).NoChainStored);
        Assert.True(Assert.Throws<ChainStoreException>(() => ChainStore.OpenReadOnly(Database, c.Genesis).Dispose()).NoChainStored);
    }

    [Fact]
    public void A_file_without_its_genesis_record_is_refused()
    {
        StoreChain();
        using (var connection = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM meta; DELETE FROM blocks; DELETE FROM txs; DELETE FROM readings; DELETE FROM meters; DELETE FROM settlements; DELETE FROM state";
            command.ExecuteNonQuery();
        }
        Assert.Contains("no genesis record", OpenFails().Message);
    }

    [Fact]
    public void A_deleted_file_is_refused_where_the_directory_held_a_chain()
    {
        StoreChain();
        File.Delete(Database);
        ChainStoreException e = OpenFails();
        Assert.Contains(ChainDirectory.MarkerFileName, e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.False(File.Exists(Database));
    }

    [Fact]
    public void Init_starts_a_new_chain_on_request_but_never_over_blocks()
    {
        StoreChain();
        File.WriteAllBytes(Database, []);
        using (ChainStore fresh = ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init: true)) Assert.Equal(0, fresh.Height);
        using (ChainStore again = ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init: false)) Assert.Equal(0, again.Height);

        using (ChainStore store = ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init: false)) store.Append(c.Blocks[0]);
        using (ChainStore kept = ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init: true)) Assert.Equal(1, kept.Height);
    }

    [Fact]
    public void A_new_directory_gets_its_chain_and_marker()
    {
        using (ChainStore store = ChainDirectory.Open(directory, c.Genesis, VerifyMode.Full, init: false)) Assert.Equal(0, store.Height);
        Assert.Contains(c.Genesis.ChainId, File.ReadAllText(Path.Combine(directory, ChainDirectory.MarkerFileName)));
    }
}
