using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using CommunityGrid.Benchmarks.Support;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Simulation.Floor;

/// <summary>
/// Usage:
///   [--houses 100] [--days 1] [--runs 3] [--seed 42] [--cgrid PATH/cgrid.dll]: runs `cgrid simulate` (by default the
///     cgrid.dll built beside this harness; --cgrid: another build, e.g. an older one to compare) as a child process, as a user runs it, and then the crypto floor for the readings its chain holds, alternately,
///     and prints each run and the medians of wall and CPU time, and their ratios simulate / floor.
///   --floor READINGS: only the floor for that many readings (one line), e.g. as the second command of an external timer.
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
        if (options.TryGetValue("floor", out string? count))
        {
            CryptoFloor.Figure floor = CryptoFloor.Measure(long.Parse(count, CultureInfo.InvariantCulture));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor: {floor.Readings} readings signed and verified once each (libsodium, 1 thread): wall {floor.Wall.TotalSeconds:0.000} s, cpu {floor.Cpu.TotalSeconds:0.000} s"));
            return 0;
        }
        string houses = options.GetValueOrDefault("houses", "100");
        string days = options.GetValueOrDefault("days", "1");
        string seed = options.GetValueOrDefault("seed", "42");
        int runs = int.Parse(options.GetValueOrDefault("runs", "3"), CultureInfo.InvariantCulture);
        string cgrid = options.GetValueOrDefault("cgrid", CgridCommand.BesideHarness);

        var simWall = new List<double>();
        var simCpu = new List<double>();
        var floorWall = new List<double>();
        var floorCpu = new List<double>();
        Console.WriteLine($"{cgrid} simulate --houses {houses} --days {days} --seed {seed} against the crypto floor, {runs} run(s)");
        for (int run = 1; run <= runs; run++)
        {
            string output = Path.Combine(Path.GetTempPath(), "cgrid-floor-" + Guid.NewGuid().ToString("N"));
            try
            {
                (double wall, double cpu) = Simulate(cgrid, houses, days, seed, output);
                long readings = CommittedReadings(Path.Combine(output, "chain.sqlite"));
                CryptoFloor.Figure floor = CryptoFloor.Measure(readings);
                simWall.Add(wall);
                simCpu.Add(cpu);
                floorWall.Add(floor.Wall.TotalSeconds);
                floorCpu.Add(floor.Cpu.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run}: simulate wall {wall:0.00} s cpu {cpu:0.00} s; floor ({readings} readings) wall {floor.Wall.TotalSeconds:0.000} s cpu {floor.Cpu.TotalSeconds:0.000} s; ratio wall {wall / floor.Wall.TotalSeconds:0.0} x, cpu {cpu / floor.Cpu.TotalSeconds:0.0} x"));
            }
            finally
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: simulate wall {Median(simWall):0.00} s, cpu {Median(simCpu):0.00} s; floor wall {Median(floorWall):0.000} s, cpu {Median(floorCpu):0.000} s; "
            + $"simulate / floor: wall {Median(simWall.Zip(floorWall, (s, f) => s / f).ToList()):0.0} x, cpu {Median(simCpu.Zip(floorCpu, (s, f) => s / f).ToList()):0.0} x"));
        return 0;
    }

    /// <summary>Wall and CPU seconds (user + system, all threads) of one `cgrid simulate` process.</summary>
    private static (double Wall, double Cpu) Simulate(string cgrid, string houses, string days, string seed, string output)
    {
        ProcessStartInfo start = CgridCommand.StartInfo(cgrid, ["simulate", "--houses", houses, "--days", days, "--seed", seed, "--out", output]);
        double childCpuBefore = ProcFigures.ChildrenCpuSeconds();
        var wall = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        wall.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"cgrid simulate exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
        return (wall.Elapsed.TotalSeconds, ProcFigures.ChildrenCpuSeconds() - childCpuBefore);
    }

    private static long CommittedReadings(string chainPath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = chainPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM readings";
        return (long)count.ExecuteScalar()!;
    }

    private static double Median(List<double> values) => Statistics.Median(values);

    private static int Usage()
    {
        Console.Error.WriteLine("usage: [--houses 100] [--days 1] [--runs 3] [--seed 42] [--cgrid PATH/cgrid.dll] | --floor READINGS");
        return 2;
    }
}
