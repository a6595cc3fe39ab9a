using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CommunityGrid.Benchmarks.Support;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Transactions;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Storage.Footprint;

/// <summary>
/// Usage:
///   [--houses 100] [--days 1] [--gateways 4] [--seed 42] [--cgrid PATH/cgrid.dll]: runs `cgrid simulate` (by default the
///     cgrid.dll built beside this harness) as a child process, then measures the chain it wrote.
///   --chain FILE: only measures an existing chain.sqlite (closed: no -wal file left, or it is counted too).
///   --keep DIR: the simulation writes into DIR, which is kept (for a later --chain or sqlite3_analyzer).
/// Prints the file's bytes per committed reading, the mean size of a signed reading (the COSE_Sign1 bytes the block
/// holds) and their ratio, then what each table and index costs per reading (SQLite's dbstat: pages, used bytes).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return Usage();
            options[args[i][2..]] = args[i + 1];
        }
        if (args.Length % 2 != 0) return Usage();
        if (options.TryGetValue("chain", out string? chain))
        {
            if (!File.Exists(chain))
            {
                Console.Error.WriteLine($"{chain} not found; --chain names a gateway's chain.sqlite");
                return 2;
            }
            Measure(chain);
            return 0;
        }
        bool keep = options.TryGetValue("keep", out string? kept);
        string output = kept ?? Path.Combine(Path.GetTempPath(), "cgrid-footprint-" + Guid.NewGuid().ToString("N"));
        try
        {
            Simulate(options, output);
            Measure(Path.Combine(output, "chain.sqlite"));
        }
        finally
        {
            if (!keep && Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
        return 0;
    }

    private static void Simulate(Dictionary<string, string> options, string output)
    {
        string cgrid = options.GetValueOrDefault("cgrid", CgridCommand.BesideHarness);
        var arguments = new List<string> { "simulate" };
        foreach (string option in new[] { "houses", "days", "gateways", "seed" })
        {
            if (!options.TryGetValue(option, out string? value)) continue;
            arguments.Add("--" + option);
            arguments.Add(value);
        }
        arguments.Add("--out");
        arguments.Add(output);
        Console.WriteLine($"{cgrid} {string.Join(' ', arguments)}");
        CgridCommand.Run(cgrid, arguments);
    }

    private static void Measure(string chainPath)
    {
        long fileBytes = new FileInfo(chainPath).Length + (File.Exists(chainPath + "-wal") ? new FileInfo(chainPath + "-wal").Length : 0);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = chainPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        (long readings, long readingBytes) = SignedReadings(connection);
        if (readings == 0)
        {
            Console.WriteLine($"{chainPath}: no committed readings");
            return;
        }
        double perReading = (double)fileBytes / readings;
        double signed = (double)readingBytes / readings;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{chainPath}: {fileBytes} bytes, {readings} readings: {perReading:0} B on disk per reading, signed reading {signed:0} B; ratio {perReading / signed:0.00} x"));
        PrintTables(connection, readings);
    }

    /// <summary>
    /// Each table's and index's pages (what it costs on disk) and the bytes its cells use, per committed reading. The
    /// SQLite bundled with Microsoft.Data.Sqlite lacks the dbstat table; the sqlite3 shell (package sqlite3) has it.
    /// </summary>
    private static void PrintTables(SqliteConnection connection, long readings)
    {
        const string query = "SELECT name, SUM(pgsize), SUM(pgsize - unused), COUNT(*) FROM dbstat GROUP BY name ORDER BY SUM(pgsize) DESC";
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = query;
        SqliteDataReader rows;
        try
        {
            rows = select.ExecuteReader();
        }
        catch (SqliteException)
        {
            Console.WriteLine($"  (no dbstat in this SQLite build: per table, run sqlite3 {connection.DataSource} \"{query}\" and divide by {readings})");
            return;
        }
        using (rows) PrintRows(rows, readings);
    }

    private static void PrintRows(SqliteDataReader rows, long readings)
    {
        while (rows.Read())
        {
            long pages = rows.GetInt64(1), used = rows.GetInt64(2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {rows.GetString(0),-28} {(double)pages / readings,7:0.0} B/reading on disk ({rows.GetInt64(3)} pages), {(double)used / readings,7:0.0} B used"));
        }
    }

    /// <summary>How many readings the blocks hold and the sum of their signed bytes.</summary>
    private static (long Count, long Bytes) SignedReadings(SqliteConnection connection)
    {
        long count = 0, bytes = 0;
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT body FROM blocks ORDER BY height";
        using SqliteDataReader rows = select.ExecuteReader();
        while (rows.Read())
        {
            foreach (byte[] tx in BlockBody.Decode((byte[])rows[0]).Transactions)
            {
                if (Transaction.TryDecode(tx, out _) is not { Reading: not null }) continue;
                count++;
                bytes += tx.Length;
            }
        }
        return (count, bytes);
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: [--houses 100] [--days 1] [--gateways 4] [--seed 42] [--cgrid PATH/cgrid.dll] [--keep DIR] | --chain FILE");
        return 2;
    }
}
