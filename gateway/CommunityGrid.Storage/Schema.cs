using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// The tables. <c>blocks</c> is the chain; <c>state</c> is the state at the tip with each entry's slot in the state
/// tree (so a restart need not replay); <c>txs</c>, <c>typed_txs</c>, <c>readings</c> and <c>settlements</c> are
/// indexes for the API, derived from the blocks. The indexes hold positions (height, index in the block), never a
/// copy of what the block holds: a query reads the signed bytes from the block and checks them against what it
/// looked for. All of a block's rows are written in one transaction, so they never disagree about the tip.
/// </summary>
internal static class Schema
{
    /// <summary>
    /// 2: the state table keeps each entry's slot in the state tree (chain.md §3, §7); the index tables hold positions
    /// only. 3: the state no longer holds <c>recent/</c> entries (duplicates are found through <c>readings</c>), so the
    /// state roots of a version-2 chain are not this version's; <c>readings</c> names a meter by its number in
    /// <c>meters</c> instead of repeating its id in every row. 4: the state holds <c>price</c> from genesis on (the
    /// price a light-client meter gets proved), so every state root of a version-3 chain differs from this version's.
    /// </summary>
    public const int Version = 4;

    /// <summary>
    /// WAL lets API readers run beside the block writer. synchronous=FULL fsyncs the WAL at every commit: a
    /// meter's reading is acknowledged after its block commits, and with NORMAL a power cut (not only kill -9)
    /// could still lose the last committed blocks. Gateways sit in street cabinets where power cuts happen, and
    /// one fsync per block (seconds apart) costs nothing that matters.
    /// </summary>
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";

    /// <summary>
    /// WITHOUT ROWID: each index is its own B-tree keyed by what the queries look up, with no second index over a
    /// hidden rowid. <c>txs</c> keys a transaction by the first 4 bytes of its id (<see cref="IdPrefix"/>), which
    /// finds it among a few candidates that the query tells apart by hashing their bytes. <c>meters</c> numbers each
    /// meter with a reading once, so a <c>readings</c> row holds a small integer, not the meter id's text (issue 18).
    /// <c>blocks.hash</c> has no index: nothing looks a block up by hash, and opening checks every hash column against
    /// its header (whose previous-hash links make two equal hashes impossible in a chain that verifies).
    /// </summary>
    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS blocks (
            height INTEGER PRIMARY KEY, hash BLOB NOT NULL, header BLOB NOT NULL, body BLOB NOT NULL, commit_sigs BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS txs (
            id_prefix INTEGER NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (id_prefix, height, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS typed_txs (
            type INTEGER NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (type, height, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meters (number INTEGER PRIMARY KEY, meter_id TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS readings (
            meter INTEGER NOT NULL, sequence INTEGER NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
            PRIMARY KEY (meter, sequence)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS settlements (interval_start INTEGER PRIMARY KEY, height INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL, slot INTEGER NOT NULL) WITHOUT ROWID;
        """;

    /// <summary><c>readings</c> rows with the meter's id: what the queries and the index check read.</summary>
    public const string ReadingsWithMeterIds = "readings JOIN meters ON meters.number = readings.meter";

    /// <summary>The <c>txs</c> key of a transaction id: its first 4 bytes, big-endian.</summary>
    public static long IdPrefix(byte[] id) => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(id);

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
