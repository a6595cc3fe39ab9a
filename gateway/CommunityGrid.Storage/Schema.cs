using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// The tables. <c>blocks</c> is the chain; <c>state</c> is the state at the tip with each entry's slot in the state tree (so a restart need not replay);
/// <c>txs</c>, <c>readings</c> and <c>settlements</c> are indexes for the API, derived from the blocks. All of a
/// block's rows are written in one transaction, so they never disagree about the tip.
/// </summary>
internal static class Schema
{
    /// <summary>2: the state table keeps each entry's slot in the state tree (chain.md §3, §7).</summary>
    public const int Version = 2;

    /// <summary>
    /// WAL lets API readers run beside the block writer. synchronous=FULL fsyncs the WAL at every commit: a
    /// meter's reading is acknowledged after its block commits, and with NORMAL a power cut (not only kill -9)
    /// could still lose the last committed blocks. Gateways sit in street cabinets where power cuts happen, and
    /// one fsync per block (seconds apart) costs nothing that matters.
    /// </summary>
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS blocks (
            height INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, header BLOB NOT NULL, body BLOB NOT NULL, commit_sigs BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS txs (
            id BLOB PRIMARY KEY, height INTEGER NOT NULL, idx INTEGER NOT NULL, type INTEGER NOT NULL, signer BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS readings (
            meter_id TEXT NOT NULL, sequence INTEGER NOT NULL, interval_start INTEGER NOT NULL,
            import_wh INTEGER NOT NULL, export_wh INTEGER NOT NULL, pv_wh INTEGER NOT NULL,
            tx_id BLOB NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL,
            PRIMARY KEY (meter_id, sequence));
        CREATE TABLE IF NOT EXISTS settlements (interval_start INTEGER PRIMARY KEY, height INTEGER NOT NULL, result BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL, slot INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS txs_by_type ON txs (type, height, idx);
        """;

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
