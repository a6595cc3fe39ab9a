using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CommunityGrid.Storage;

/// <summary>One compiled statement of <see cref="BlockStatements"/>: bind every parameter, then <see cref="Run"/>.</summary>
internal sealed class BlockStatement : IDisposable
{
    // As SqliteCommand's default CommandTimeout: how long a statement waits for a lock another connection holds.
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;
    private readonly string name;
    private readonly Action<string>? beforeStatement;
    private readonly Dictionary<string, int> parameterIndexes = new(StringComparer.Ordinal);

    public BlockStatement(sqlite3 database, string name, string sql, Action<string>? beforeStatement)
    {
        this.database = database;
        this.name = name;
        this.beforeStatement = beforeStatement;
        int rc = raw.sqlite3_prepare_v2(database, sql, out sqlite3_stmt? compiled);
        if (rc != raw.SQLITE_OK || compiled is null)
        {
            compiled?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, database);
            throw new InvalidOperationException($"SQLite compiled no statement for '{name}'");
        }
        statement = compiled;
    }

    public BlockStatement Bind(string parameter, long value)
    {
        Check(raw.sqlite3_bind_int64(statement, Index(parameter), value));
        return this;
    }

    /// <summary>Binds text as SqliteCommand does (UTF-8, copied by SQLite).</summary>
    public BlockStatement Bind(string parameter, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Check(raw.sqlite3_bind_text(statement, Index(parameter), value));
        return this;
    }

    /// <summary>Binds a blob as SqliteCommand does (copied by SQLite).</summary>
    public BlockStatement Bind(string parameter, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Bind(parameter, value.AsSpan());
    }

    /// <summary>Binds a blob (copied by SQLite at once, so the caller may reuse the memory afterwards).</summary>
    public BlockStatement Bind(string parameter, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(statement, Index(parameter), value));
        return this;
    }

    /// <summary>Runs the statement with what is bound, then clears it for the next row.</summary>
    public void Run()
    {
        beforeStatement?.Invoke(name);
        try
        {
            int rc = raw.sqlite3_step(statement);
            Stopwatch? waited = null;
            while (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
            {
                waited ??= Stopwatch.StartNew();
                if (waited.Elapsed >= BusyTimeout) break;
                raw.sqlite3_reset(statement);
                Thread.Sleep(10);
                rc = raw.sqlite3_step(statement);
            }
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, database);
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    public void Dispose() => statement.Dispose();

    private int Index(string parameter)
    {
        if (!parameterIndexes.TryGetValue(parameter, out int index))
        {
            index = raw.sqlite3_bind_parameter_index(statement, parameter);
            if (index == 0) throw new ArgumentException($"the statement '{name}' has no parameter {parameter}", nameof(parameter));
            parameterIndexes.Add(parameter, index);
        }
        return index;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, database);
    }
}
