using System;
using System.Buffers;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.IO;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// One community's chain in a SQLite file. Opening verifies what is stored; <see cref="Append"/> verifies a
/// block against the tip state, writes it with all its derived rows and state changes in one transaction, and
/// only then advances the in-memory state. Single writer; not thread-safe.
/// </summary>
public sealed partial class ChainStore : IDisposable, ICommittedReadings
{
    private readonly SqliteConnection connection;
    // Reused for every block body written (Write); holds the largest body's buffer while the store is open.
    private CborWriter? bodyWriter;

    private ChainStore(SqliteConnection connection, GenesisDocument genesis, ChainState state)
    {
        this.connection = connection;
        Genesis = genesis;
        State = state;
        // Proposals answer resends of committed readings from the readings index (chain.md §4), not from the state.
        State.CommittedReadings = this;
    }

    public GenesisDocument Genesis { get; }

    /// <summary>The state at the stored tip. Change it only through <see cref="Append"/>.</summary>
    public ChainState State { get; }

    public long Height => State.Height;

    /// <summary>SQLite's result code SQLITE_FULL: the disk (or the <see cref="SetMaxPageCount"/> cap) has no room for the write.</summary>
    public const int SqliteFull = 13;

    /// <summary>
    /// True when <paramref name="e"/> is SQLite reporting a full disk (SQLITE_FULL). <see cref="Append"/> passes that
    /// exception on unchanged and leaves file and state at the previous block, so the caller may retry the block later.
    /// </summary>
    public static bool IsFull(Exception e) => e is SqliteException { SqliteErrorCode: SqliteFull };

    /// <summary>
    /// Caps the database file at <paramref name="pages"/> pages (PRAGMA max_page_count, this connection only): a write
    /// that would grow it further fails with SQLITE_FULL as on a full disk. For tests, and for operators who want a
    /// hard size limit. SQLite never sets the cap below the current size and the cap may be raised at any time.
    /// </summary>
    /// <returns>The cap now in effect, in pages.</returns>
    public long SetMaxPageCount(long pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pages);
        using SqliteCommand command = Schema.Command(connection, $"PRAGMA max_page_count = {pages}");
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Test hook: called with a statement's name before it runs inside a block's transaction.</summary>
    internal Action<string>? BeforeStatement { get; set; }

    /// <summary>
    /// Opens the database at <paramref name="path"/> and verifies the chain in it. A new chain (the genesis state) is
    /// written only as <paramref name="creation"/> allows: a file that exists but holds no chain — zero bytes, or no
    /// genesis record — is damage, never an invitation to start again (docs/chain.md §7).
    /// </summary>
    /// <exception cref="ChainStoreException">
    /// no chain where one is required, the stored chain does not verify, or the file is damaged at the SQLite level;
    /// the message says where, why, and what to do.
    /// </exception>
    public static ChainStore Open(string path, GenesisDocument genesis, VerifyMode mode = VerifyMode.Full, SettlementCatalog? catalog = null,
        StoreCreation creation = StoreCreation.IfAbsent) =>
        OpenConnection(path, genesis, mode, catalog, creation, readOnly: false);

    /// <summary>
    /// Verifies the chain at <paramref name="path"/> without writing anything, also while a gateway is writing to it
    /// (WAL mode: the verification reads one consistent snapshot). The store cannot append; for <c>cgrid verify</c>.
    /// </summary>
    /// <exception cref="ChainStoreException">as <see cref="Open"/>; a missing or empty file is "no chain".</exception>
    public static ChainStore OpenReadOnly(string path, GenesisDocument genesis, VerifyMode mode = VerifyMode.Full, SettlementCatalog? catalog = null) =>
        OpenConnection(path, genesis, mode, catalog, StoreCreation.Never, readOnly: true);

    private static ChainStore OpenConnection(string path, GenesisDocument genesis, VerifyMode mode, SettlementCatalog? catalog, StoreCreation creation, bool readOnly)
    {
        var file = new FileInfo(path);
        if (!file.Exists && creation == StoreCreation.Never) throw ChainStoreException.NoChain(path, "the file does not exist");
        if (file.Exists && file.Length == 0 && creation != StoreCreation.Explicit) throw ChainStoreException.NoChain(path, "the file is empty (0 bytes)");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        try
        {
            connection.Open();
            bool holdsChain = HoldsChain(connection);
            if (!holdsChain && (creation == StoreCreation.Never || file.Exists && creation == StoreCreation.IfAbsent))
            {
                throw ChainStoreException.NoChain(path, "it has no genesis record");
            }
            if (!readOnly)
            {
                using (SqliteCommand pragmas = Schema.Command(connection, Schema.Pragmas)) pragmas.ExecuteNonQuery();
                using (SqliteCommand create = Schema.Command(connection, Schema.Create)) create.ExecuteNonQuery();
            }
            if (holdsChain)
            {
                CheckSchemaVersion(connection, path);
                CheckGenesis(connection, genesis);
            }
            else CreateChain(connection, genesis, path);
            ChainState state;
            // A read transaction pins one snapshot of a database a running gateway keeps appending to.
            using (SqliteTransaction? snapshot = readOnly ? connection.BeginTransaction(deferred: true) : null)
            {
                state = new ChainVerifier(connection, snapshot, genesis, catalog ?? SettlementCatalog.Default).Verify(mode);
            }
            return new ChainStore(connection, genesis, state);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw ChainStoreException.Unreadable(path, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file has the meta table with a genesis record, i.e. a chain was created in it.</summary>
    private static bool HoldsChain(SqliteConnection connection)
    {
        using SqliteCommand table = Schema.Command(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
        if ((long)table.ExecuteScalar()! == 0) return false;
        using SqliteCommand record = Schema.Command(connection, "SELECT COUNT(*) FROM meta WHERE key = 'genesis_hash'");
        return (long)record.ExecuteScalar()! > 0;
    }

    /// <summary>Verifies <paramref name="block"/> as the next block and makes it durable; the state advances after the commit.</summary>
    /// <exception cref="BlockVerificationException">the block does not follow from the tip; nothing is written.</exception>
    public PreparedBlock Append(Block block) => Append(State.Prepare(block));

    /// <summary>
    /// Makes a block durable that was verified against the current tip (<see cref="ChainState.Prepare"/>, or
    /// <see cref="ChainState.Execute"/> plus a checked commit) or produced on it (<see cref="BlockProducer.Produce"/>),
    /// without executing it again.
    /// </summary>
    /// <exception cref="InvalidOperationException">the tip moved since the block was prepared; nothing is written.</exception>
    public PreparedBlock Append(PreparedBlock prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (!State.IsCurrent(prepared)) throw new InvalidOperationException($"block {prepared.Block.Height} was prepared against an earlier tip; prepare it again");
        using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            Write(prepared);
            transaction.Commit();
        }
        State.Commit(prepared);
        return prepared;
    }

    /// <summary>Writes the block's rows; the caller has the connection's write transaction open, and the statements run inside it.</summary>
    private void Write(PreparedBlock prepared)
    {
        using var statements = new BlockStatements(connection, BeforeStatement);
        Block block = prepared.Block;
        long height = block.Height;
        // The body (about 440 KB for 2,000 readings) is written with the store's one writer, kept from block to block, and
        // bound from a pooled buffer: two new large-object-heap arrays per block otherwise (issue 18, allocations).
        bodyWriter ??= Cbor.Writer();
        bodyWriter.Reset();
        block.Body.WriteTo(bodyWriter);
        byte[] body = ArrayPool<byte>.Shared.Rent(bodyWriter.BytesWritten);
        try
        {
            int bodyLength = bodyWriter.Encode(body);
            statements.Prepare("block", "INSERT INTO blocks (height, hash, header, body, commit_sigs) VALUES ($h, $hash, $header, $body, $commit)")
                .Bind("$h", height).Bind("$hash", block.Header.Hash()).Bind("$header", block.Header.Encode()).Bind("$body", body.AsSpan(0, bodyLength))
                .Bind("$commit", block.Commit.Encode()).Run();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
        BlockStatement txRow = statements.Prepare("tx", "INSERT INTO txs (id_prefix, height, idx) VALUES ($p, $h, $i)");
        BlockStatement meterRow = statements.Prepare("meter", "INSERT INTO meters (meter_id) VALUES ($m) ON CONFLICT (meter_id) DO NOTHING");
        BlockStatement readingRow = statements.Prepare("reading",
            "INSERT INTO readings (meter, sequence, height, idx) VALUES ((SELECT number FROM meters WHERE meter_id = $m), $s, $h, $i)");
        for (int i = 0; i < prepared.Transactions.Count; i++)
        {
            Transaction tx = prepared.Transactions[i];
            txRow.Bind("$p", Schema.IdPrefix(tx.Id)).Bind("$h", height).Bind("$i", i).Run();
            if (tx.Reading is { } r)
            {
                meterRow.Bind("$m", r.MeterId).Run();
                readingRow.Bind("$m", r.MeterId).Bind("$s", r.Sequence).Bind("$h", height).Bind("$i", i).Run();
            }
            else
            {
                statements.Prepare("typed tx", "INSERT INTO typed_txs (type, height, idx) VALUES ($type, $h, $i)")
                    .Bind("$type", (int)tx.Type).Bind("$h", height).Bind("$i", i).Run();
            }
        }
        foreach (SettlementResult s in prepared.Settlements)
        {
            statements.Prepare("settlement", "INSERT INTO settlements (interval_start, height) VALUES ($start, $h)")
                .Bind("$start", s.IntervalStart).Bind("$h", height).Run();
        }
        for (int i = 0; i < prepared.Changes.Count; i++)
        {
            StateChange change = prepared.Changes[i];
            if (change.Value is null) statements.Prepare("state", "DELETE FROM state WHERE key = $k").Bind("$k", change.Key).Run();
            else
            {
                // A key keeps its slot while it exists; a new key gets the one the block's layout gives it.
                statements.Prepare("state", "INSERT INTO state (key, value, slot) VALUES ($k, $v, $slot) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                    .Bind("$k", change.Key).Bind("$v", change.Value).Bind("$slot", prepared.Slots[i]).Run();
            }
        }
    }

    /// <summary>A file written by another schema version is refused before anything reads its tables as this version's.</summary>
    private static void CheckSchemaVersion(SqliteConnection connection, string path)
    {
        using SqliteCommand read = Schema.Command(connection, "SELECT value FROM meta WHERE key = 'schema_version'");
        object? value = read.ExecuteScalar();
        if (value is long version && version == Schema.Version) return;
        string found = value is long other ? $"schema version {other}" : $"{ChainVerifier.StorageClass(value ?? DBNull.Value)} as its schema version";
        throw new ChainStoreException($"{path} holds {found}; this gateway reads version {Schema.Version} (version 2 changed the state tree, versions 3 and 4 the state's entries, docs/chain.md §3, so an older chain does not verify either): start the community's chain anew, or use the gateway release that wrote it");
    }

    private static void CheckGenesis(SqliteConnection connection, GenesisDocument genesis)
    {
        byte[] hash = GenesisCanonical.Hash(genesis);
        using SqliteCommand read = Schema.Command(connection, "SELECT value FROM meta WHERE key = 'genesis_hash'");
        object? value = read.ExecuteScalar();
        if (value is not byte[] stored)
        {
            throw ChainVerifier.Corrupt($"table 'meta': the genesis hash holds {ChainVerifier.StorageClass(value ?? DBNull.Value)} instead of 32 bytes; the row was altered");
        }
        if (!Hashes.Equal(stored, hash))
        {
            throw new ChainStoreException($"this database holds the chain of genesis {Hashes.Hex(stored)}, not of the given genesis {Hashes.Hex(hash)}; use the matching genesis file or another data directory");
        }
    }

    /// <summary>Writes the genesis record and state into a file that holds no chain; refuses one that still holds blocks.</summary>
    private static void CreateChain(SqliteConnection connection, GenesisDocument genesis, string path)
    {
        using (SqliteCommand blocks = Schema.Command(connection, "SELECT COUNT(*) FROM blocks"))
        {
            long count = (long)blocks.ExecuteScalar()!;
            if (count > 0) throw new ChainStoreException($"{path} has no genesis record but holds {count} blocks; it is damaged, not new: restore it from a backup or a peer gateway, or move it away to start a new chain");
        }
        byte[] hash = GenesisCanonical.Hash(genesis);
        using SqliteTransaction transaction = connection.BeginTransaction();
        using (SqliteCommand write = Schema.Command(connection,
            "INSERT INTO meta (key, value) VALUES ('genesis_hash', $hash), ('genesis_json', $json), ('schema_version', $version)", transaction))
        {
            write.Parameters.AddWithValue("$hash", hash);
            write.Parameters.AddWithValue("$json", System.Text.Encoding.UTF8.GetBytes(GenesisFile.ToJson(genesis)));
            write.Parameters.AddWithValue("$version", Schema.Version);
            write.ExecuteNonQuery();
        }
        // The genesis state goes into the state table too, so the table always equals the state at the tip.
        StateEntries genesisState = GenesisState.Build(genesis);
        string?[] layout = StateTree.LayoutInKeyOrder(genesisState);
        for (int slot = 0; slot < layout.Length; slot++)
        {
            using SqliteCommand insert = Schema.Command(connection, "INSERT INTO state (key, value, slot) VALUES ($k, $v, $slot)", transaction);
            insert.Parameters.AddWithValue("$k", layout[slot]);
            insert.Parameters.AddWithValue("$v", genesisState.Get(layout[slot]!)!);
            insert.Parameters.AddWithValue("$slot", slot);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public void Dispose() => connection.Dispose();
}
