using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// A block's statements are compiled once and bound again for every row (issue 18, allocations): each row must get
/// exactly its own values, also after a row that failed, and what is stored must be what a SqliteCommand stores.
/// </summary>
public sealed class BlockStatementsTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"block-statements-{Guid.NewGuid():N}.sqlite");
    private readonly SqliteConnection connection;

    public BlockStatementsTests()
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, s TEXT NOT NULL, b BLOB NOT NULL)";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Each_row_gets_its_own_values_and_a_failed_row_leaves_nothing_bound_for_the_next()
    {
        using (SqliteTransaction transaction = connection.BeginTransaction())
        using (var statements = new BlockStatements(connection, beforeStatement: null))
        {
            BlockStatement insert = statements.Prepare("row", "INSERT INTO t (id, n, s, b) VALUES ($id, $n, $s, $b)");
            insert.Bind("$id", 1).Bind("$n", long.MaxValue).Bind("$s", "a-much-longer-meter-id").Bind("$b", new byte[] { 1, 2, 3, 4, 5 }).Run();
            insert.Bind("$id", 2).Bind("$n", -7).Bind("$s", "m1").Bind("$b", new byte[] { 9 }).Run();
            // The same id again: refused by the primary key, as SqliteCommand would refuse it.
            SqliteException refused = Assert.Throws<SqliteException>(() => insert.Bind("$id", 2).Bind("$n", 0).Bind("$s", "x").Bind("$b", new byte[] { 0 }).Run());
            Assert.Equal(19, refused.SqliteErrorCode);
            // Nothing of the refused row is left bound: a row that binds only some parameters fails on the NOT NULL ones.
            Assert.Throws<SqliteException>(() => insert.Bind("$id", 3).Run());
            insert.Bind("$id", 4).Bind("$n", 0).Bind("$s", "").Bind("$b", Array.Empty<byte>()).Run();
            Assert.Same(insert, statements.Prepare("row", "INSERT INTO t (id, n, s, b) VALUES ($id, $n, $s, $b)"));
            transaction.Commit();
        }

        Assert.Equal("1|9223372036854775807|a-much-longer-meter-id|0102030405;2|-7|m1|09;4|0||", Rows());
        // What a SqliteCommand stores for the same values, to compare types too (an empty text and an empty blob, not NULL).
        using SqliteCommand types = connection.CreateCommand();
        types.CommandText = "SELECT typeof(n) || typeof(s) || typeof(b) FROM t WHERE id = 4";
        Assert.Equal("integertextblob", types.ExecuteScalar());
    }

    [Fact]
    public void A_parameter_the_statement_does_not_have_is_named_in_the_error()
    {
        using var statements = new BlockStatements(connection, beforeStatement: null);
        BlockStatement insert = statements.Prepare("row", "INSERT INTO t (id, n, s, b) VALUES ($id, $n, $s, $b)");
        ArgumentException wrong = Assert.Throws<ArgumentException>(() => insert.Bind("$nope", 1));
        Assert.Contains("$nope", wrong.Message, StringComparison.Ordinal);
    }

    private string Rows()
    {
        using SqliteCommand read = connection.CreateCommand();
        read.CommandText = "SELECT id, n, s, b FROM t ORDER BY id";
        using SqliteDataReader reader = read.ExecuteReader();
        var rows = new System.Collections.Generic.List<string>();
        while (reader.Read()) rows.Add($"{reader.GetInt64(0)}|{reader.GetInt64(1)}|{reader.GetString(2)}|{Convert.ToHexString((byte[])reader.GetValue(3))}");
        return string.Join(";", rows);
    }

    public void Dispose()
    {
        connection.Dispose();
        File.Delete(path);
    }
}
