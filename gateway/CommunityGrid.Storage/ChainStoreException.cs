using System;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>The database does not hold a valid chain for this genesis; the message says where and what.</summary>
public sealed class ChainStoreException : Exception
{
    public ChainStoreException(string message) : base(message) { }

    public ChainStoreException(string message, Exception inner) : base(message, inner) { }

    /// <summary>True when the database holds no chain at all (missing, empty, no genesis record): see <see cref="NoChain"/>.</summary>
    public bool NoChainStored { get; private init; }

    /// <summary>There is no chain where one was expected; starting a new one must be asked for (docs/operations.md).</summary>
    public static ChainStoreException NoChain(string path, string why) => new(
        $"{path} holds no chain: {why}. If this data directory held a chain before, the file was truncated, replaced or lost: " +
        "restore it from a backup or copy chain.sqlite from a peer gateway (docs/operations.md, 'Damaged or lost chain'). " +
        "To start a new chain here on purpose, run the gateway once with --init")
    {
        NoChainStored = true,
    };

    /// <summary>SQLite itself cannot read the file: say so in the operator's terms, keeping SQLite's words for the record.</summary>
    public static ChainStoreException Unreadable(string path, SqliteException e)
    {
        bool damaged = e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase or SqliteIoError;
        string what = damaged
            ? $"{path} is damaged: SQLite cannot read it (error {e.SqliteErrorCode}: {e.Message})"
            : $"cannot read {path}: SQLite error {e.SqliteErrorCode}: {e.Message}";
        string todo = damaged
            ? "restore chain.sqlite from a backup or copy it from a peer gateway (docs/operations.md, 'Damaged or lost chain'); keep the damaged file for inspection"
            : "check the file's permissions and that no other program holds it locked";
        return new ChainStoreException($"{what}. The chain in it cannot be trusted or used: {todo}", e);
    }

    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
}

/// <summary>When <see cref="ChainStore.Open"/> may write a new chain's genesis into the file.</summary>
public enum StoreCreation
{
    /// <summary>Only open an existing chain.</summary>
    Never,
    /// <summary>Create the chain when no file exists at the path; a file that exists but holds no chain is refused.</summary>
    IfAbsent,
    /// <summary>The operator asked for a new chain (<c>--init</c>): also over an empty file or one without a genesis record, never over blocks.</summary>
    Explicit,
}

public enum VerifyMode
{
    /// <summary>Replay every block from genesis and compare the stored state with the result.</summary>
    Full,
    /// <summary>Check every header's hash, link and commit, then trust the stored state if its root matches the tip header.</summary>
    Headers,
}
