using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// The statements of one block's write transaction, each compiled by SQLite once and run again for every row that
/// needs it. A block of 2,000 readings writes about 6,000 rows; a command per row compiled the same SQL 2,000 times
/// and left 6,000 commands, parameters and binders per block for the garbage collector (issue 18).
/// </summary>
internal sealed class BlockStatements(SqliteConnection connection, SqliteTransaction transaction, Action<string>? beforeStatement) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> compiled = new(StringComparer.Ordinal);

    /// <param name="name">What the statement writes, for <see cref="ChainStore.BeforeStatement"/>.</param>
    /// <param name="parameters">The same names, in the same order, every time <paramref name="sql"/> runs.</param>
    public void Run(string name, string sql, params (string Name, object Value)[] parameters)
    {
        beforeStatement?.Invoke(name);
        if (!compiled.TryGetValue(sql, out SqliteCommand? command))
        {
            command = Schema.Command(connection, sql, transaction);
            foreach ((string parameter, _) in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = parameter });
            compiled.Add(sql, command);
        }
        foreach ((string parameter, object value) in parameters) command.Parameters[parameter].Value = value;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in compiled.Values) command.Dispose();
    }
}
