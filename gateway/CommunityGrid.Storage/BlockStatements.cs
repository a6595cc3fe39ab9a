using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// The statements of one block's write transaction, each compiled by SQLite once and run again for every row that
/// needs it. A block of 2,000 readings writes about 6,000 rows; a command per row compiled the same SQL 2,000 times
/// and left 6,000 commands, parameters and binders per block for the garbage collector (issue 18). The statements
/// are SQLite's own (through SQLitePCL, on the connection's handle and so inside its transaction), bound by type:
/// an <c>ExecuteNonQuery</c> per row still made a data reader, its statement enumerator, a binder per parameter and
/// the boxed values, about 2 KB per reading (an allocation profile of ingest, docs/operations.md, 2026-12-05).
/// The values bound and the rows written are the same as through <see cref="SqliteCommand"/>; a failure is the same
/// <see cref="SqliteException"/> (a full disk: SQLITE_FULL).
/// </summary>
internal sealed class BlockStatements(SqliteConnection connection, Action<string>? beforeStatement) : IDisposable
{
    private readonly Dictionary<string, BlockStatement> prepared = new(StringComparer.Ordinal);

    /// <param name="name">What the statement writes, for <see cref="ChainStore.BeforeStatement"/>.</param>
    public BlockStatement Prepare(string name, string sql)
    {
        if (!prepared.TryGetValue(sql, out BlockStatement? statement))
        {
            statement = new BlockStatement(connection.Handle!, name, sql, beforeStatement);
            prepared.Add(sql, statement);
        }
        return statement;
    }

    public void Dispose()
    {
        foreach (BlockStatement statement in prepared.Values) statement.Dispose();
    }
}
