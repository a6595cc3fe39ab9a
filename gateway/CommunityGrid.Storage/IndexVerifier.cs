using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage;

/// <summary>
/// Checks every row of the derived tables (<c>txs</c>, <c>typed_txs</c>, <c>readings</c> with its meter's id from
/// <c>meters</c>, <c>settlements</c>) against the blocks, in block order: each row must be exactly what
/// <see cref="ChainStore"/> writes for the block, and no row may be left over. (A <c>meters</c> row no reading names
/// leads nowhere and is not looked for.) The tables are only indexes, but the API finds data through them, so a row that disagrees with the signed
/// blocks is damage like any other.
/// </summary>
internal sealed class IndexVerifier : IDisposable
{
    private readonly Cursor txs;
    private readonly Cursor typedTxs;
    private readonly Cursor readings;
    private readonly Cursor settlements;

    public IndexVerifier(SqliteConnection connection, SqliteTransaction? snapshot)
    {
        // Each table read in block order: the few sorts this costs on open buy index tables without a second index.
        txs = new Cursor(connection, snapshot, "txs", "SELECT id_prefix, height, idx FROM txs ORDER BY height, idx");
        typedTxs = new Cursor(connection, snapshot, "typed_txs", "SELECT type, height, idx FROM typed_txs ORDER BY height, idx");
        // LEFT JOIN: a row whose meter number names no meter shows as NULL instead of vanishing from the check.
        readings = new Cursor(connection, snapshot, "readings",
            "SELECT meters.meter_id, sequence, height, idx FROM readings LEFT JOIN meters ON meters.number = readings.meter ORDER BY height, idx");
        settlements = new Cursor(connection, snapshot, "settlements", "SELECT interval_start, height FROM settlements ORDER BY height, interval_start");
    }

    /// <param name="transactions">The block's transactions, decoded (the replay's, or decoded here in Headers mode).</param>
    public void Check(Block block, IReadOnlyList<Transaction> transactions)
    {
        long height = block.Height;
        for (int i = 0; i < transactions.Count; i++)
        {
            Transaction tx = transactions[i];
            int index = i;
            // What a row is for is spelled out only when it does not match (issue 18: formatting it for every row was
            // most of this check's time).
            txs.Expect(height, () => $"transaction {index} ({tx.IdHex})", Schema.IdPrefix(tx.Id), height, (long)i);
            if (tx.Reading is { } r) readings.Expect(height, () => $"reading of transaction {index} ({r.MeterId} #{r.Sequence})", r.MeterId, r.Sequence, height, (long)i);
            else typedTxs.Expect(height, () => $"transaction {index} ({tx.IdHex}) of type {tx.Type}", (long)(int)tx.Type, height, (long)i);
        }
        foreach (SettlementResult s in block.Body.Settlements)
        {
            settlements.Expect(height, () => $"settlement of interval {s.IntervalStart}", s.IntervalStart, height);
        }
    }

    /// <summary>Rows beyond the last block's are rows no block accounts for.</summary>
    public void CheckNothingLeft()
    {
        txs.ExpectEnd();
        typedTxs.ExpectEnd();
        readings.ExpectEnd();
        settlements.ExpectEnd();
    }

    /// <summary>Decodes a stored block's transactions for the Headers mode, which does not replay them.</summary>
    public static IReadOnlyList<Transaction> Decode(Block block)
    {
        var decoded = new List<Transaction>(block.Body.Transactions.Count);
        for (int i = 0; i < block.Body.Transactions.Count; i++)
        {
            Transaction? tx = Transaction.TryDecode(block.Body.Transactions[i], out var rejection);
            if (tx is null) throw ChainVerifier.Corrupt($"block {block.Height}: transaction {i} does not decode: {rejection}");
            decoded.Add(tx);
        }
        return decoded;
    }

    public void Dispose()
    {
        txs.Dispose();
        typedTxs.Dispose();
        readings.Dispose();
        settlements.Dispose();
    }

    /// <summary>One table read in block order, one row ahead.</summary>
    private sealed class Cursor : IDisposable
    {
        private readonly string table;
        private readonly SqliteCommand command;
        private readonly SqliteDataReader reader;

        public Cursor(SqliteConnection connection, SqliteTransaction? snapshot, string table, string sql)
        {
            this.table = table;
            command = Schema.Command(connection, sql, snapshot);
            reader = command.ExecuteReader();
        }

        public void Expect(long height, Func<string> what, params object[] expected)
        {
            if (!reader.Read()) throw ChainVerifier.Corrupt($"block {height}: index table '{table}' has no row for {what()}; the row was deleted");
            for (int column = 0; column < expected.Length; column++)
            {
                object stored = reader.GetValue(column);
                if (!Same(stored, expected[column]))
                {
                    throw ChainVerifier.Corrupt(
                        $"block {height}: index table '{table}', row for {what()}: column '{reader.GetName(column)}' holds {Show(stored)}, the signed block says {Show(expected[column])}; the row was altered");
                }
            }
        }

        public void ExpectEnd()
        {
            if (reader.Read())
            {
                throw ChainVerifier.Corrupt($"index table '{table}' has a row no block accounts for ({reader.GetName(0)} {Show(reader.GetValue(0))}); the row was added or altered");
            }
        }

        private static bool Same(object stored, object expected) => (stored, expected) switch
        {
            (byte[] s, byte[] e) => Hashes.Equal(s, e),
            (long s, long e) => s == e,
            (string s, string e) => string.Equals(s, e, StringComparison.Ordinal),
            _ => false,
        };

        private static string Show(object value) => value switch
        {
            byte[] b => "bytes " + Hashes.Hex(b),
            string s => $"text '{s}'",
            DBNull => "NULL",
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
        };

        public void Dispose()
        {
            reader.Dispose();
            command.Dispose();
        }
    }
}
