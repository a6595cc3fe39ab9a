using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CommunityGrid.Benchmarks.Support;
using CommunityGrid.Chain.Genesis;
using Microsoft.Data.Sqlite;

namespace CommunityGrid.Simulation.Floor;

/// <summary>
/// Usage:
///   [--houses 100] [--days 1] [--runs 3] [--seed 42] [--gateways N] [--cgrid PATH/cgrid.dll]: runs `cgrid simulate` (by
///     default the cgrid.dll built beside this harness; --cgrid: another build, e.g. an older one to compare) as a child
///     process, as a user runs it, and then the crypto floor for the readings its chain holds, alternately, and prints
///     each run and the medians of wall and CPU time, and their ratios simulate / floor.
///   --series HOUSES,... [--series-days DAYS,...] [--runs 1] [--gateways N]: the same for every combination, one median
///     line each, to see how the cost grows with the community and the days.
///   --verify-chain DIR [--runs 3] [--cgrid PATH]: `cgrid verify --data DIR` as a child process against every distinct
///     signature of DIR/chain.sqlite verified once with libsodium on one thread, alternately; medians and ratios.
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
            Console.WriteLine(Invariant($"floor: {floor.Readings} readings signed and verified once each (libsodium, 1 thread): wall {floor.Wall.TotalSeconds:0.000} s, cpu {floor.Cpu.TotalSeconds:0.000} s"));
            return 0;
        }
        string cgrid = options.GetValueOrDefault("cgrid", CgridCommand.BesideHarness);
        int runs = int.Parse(options.GetValueOrDefault("runs", options.ContainsKey("series") ? "1" : "3"), CultureInfo.InvariantCulture);
        if (options.TryGetValue("verify-chain", out string? data)) return VerifyAgainstFloor(cgrid, data, runs);
        string seed = options.GetValueOrDefault("seed", "42");
        string? gateways = options.GetValueOrDefault("gateways");
        if (options.TryGetValue("series", out string? series))
        {
            foreach (string days in options.GetValueOrDefault("series-days", "1").Split(','))
            {
                foreach (string houses in series.Split(',')) SimulateAgainstFloor(cgrid, houses, days, seed, gateways, runs);
            }
            return 0;
        }
        SimulateAgainstFloor(cgrid, options.GetValueOrDefault("houses", "100"), options.GetValueOrDefault("days", "1"), seed, gateways, runs);
        return 0;
    }

    private static void SimulateAgainstFloor(string cgrid, string houses, string days, string seed, string? gateways, int runs)
    {
        var sim = new List<CgridCommand.Times>();
        var floor = new List<CryptoFloor.Figure>();
        string gatewayArgs = gateways is null ? "" : $" --gateways {gateways}";
        Console.WriteLine($"{cgrid} simulate --houses {houses} --days {days} --seed {seed}{gatewayArgs} against the crypto floor, {runs} run(s)");
        for (int run = 1; run <= runs; run++)
        {
            string output = Path.Combine(Path.GetTempPath(), "cgrid-floor-" + Guid.NewGuid().ToString("N"));
            try
            {
                var arguments = new List<string> { "simulate", "--houses", houses, "--days", days, "--seed", seed, "--out", output };
                if (gateways is not null) arguments.AddRange(["--gateways", gateways]);
                CgridCommand.Times times = CgridCommand.Run(cgrid, arguments);
                long readings = CommittedReadings(Path.Combine(output, "chain.sqlite"));
                CryptoFloor.Figure f = CryptoFloor.Measure(readings);
                sim.Add(times);
                floor.Add(f);
                Console.WriteLine(Invariant(
                    $"run {run}: simulate wall {times.Wall:0.00} s cpu {times.Cpu:0.00} s; floor ({readings} readings) wall {f.Wall.TotalSeconds:0.000} s cpu {f.Cpu.TotalSeconds:0.000} s; ratio wall {times.Wall / f.Wall.TotalSeconds:0.0} x, cpu {times.Cpu / f.Cpu.TotalSeconds:0.0} x"));
            }
            finally
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            }
        }
        Console.WriteLine(Invariant(
            $"median {houses} houses x {days} day(s){gatewayArgs}: simulate wall {Median(sim.Select(s => s.Wall)):0.00} s, cpu {Median(sim.Select(s => s.Cpu)):0.00} s; floor wall {Median(floor.Select(f => f.Wall.TotalSeconds)):0.000} s, cpu {Median(floor.Select(f => f.Cpu.TotalSeconds)):0.000} s; ")
            + Invariant($"simulate / floor: wall {Median(sim.Zip(floor, (s, f) => s.Wall / f.Wall.TotalSeconds)):0.0} x, cpu {Median(sim.Zip(floor, (s, f) => s.Cpu / f.Cpu.TotalSeconds)):0.0} x"));
    }

    private static int VerifyAgainstFloor(string cgrid, string data, int runs)
    {
        string chainPath = Path.Combine(data, "chain.sqlite");
        string genesisPath = Path.Combine(data, "genesis.json");
        if (!File.Exists(chainPath) || !File.Exists(genesisPath))
        {
            Console.Error.WriteLine($"--verify-chain: {data} must hold chain.sqlite and genesis.json (a `cgrid simulate --gateways 1` output)");
            return 2;
        }
        GenesisDocument genesis = GenesisFile.Load(genesisPath);
        var verify = new List<CgridCommand.Times>();
        var floor = new List<ChainSignatures.Figure>();
        Console.WriteLine($"{cgrid} verify --data {data} against one libsodium verification (1 thread) of every signature in its chain, {runs} run(s)");
        for (int run = 1; run <= runs; run++)
        {
            CgridCommand.Times times = CgridCommand.Run(cgrid, ["verify", "--data", data]);
            ChainSignatures.Figure f = ChainSignatures.Measure(chainPath, genesis);
            verify.Add(times);
            floor.Add(f);
            Console.WriteLine(Invariant(
                $"run {run}: verify wall {times.Wall:0.00} s cpu {times.Cpu:0.00} s; floor ({f.Transactions} transaction + {f.CommitSignatures} commit signatures) wall {f.Wall.TotalSeconds:0.000} s cpu {f.Cpu.TotalSeconds:0.000} s; ratio wall {times.Wall / f.Wall.TotalSeconds:0.00} x, cpu {times.Cpu / f.Cpu.TotalSeconds:0.00} x"));
        }
        Console.WriteLine(Invariant(
            $"median: verify wall {Median(verify.Select(s => s.Wall)):0.00} s, cpu {Median(verify.Select(s => s.Cpu)):0.00} s; floor wall {Median(floor.Select(f => f.Wall.TotalSeconds)):0.000} s, cpu {Median(floor.Select(f => f.Cpu.TotalSeconds)):0.000} s; ")
            + Invariant($"verify / floor: wall {Median(verify.Zip(floor, (s, f) => s.Wall / f.Wall.TotalSeconds)):0.00} x, cpu {Median(verify.Zip(floor, (s, f) => s.Cpu / f.Cpu.TotalSeconds)):0.00} x"));
        return 0;
    }

    private static long CommittedReadings(string chainPath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = chainPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM readings";
        return (long)count.ExecuteScalar()!;
    }

    private static double Median(IEnumerable<double> values) => Statistics.Median(values.ToList());

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int Usage()
    {
        Console.Error.WriteLine("usage: [--houses 100] [--days 1] [--runs 3] [--seed 42] [--gateways N] [--cgrid PATH/cgrid.dll] | --series 25,50,100 [--series-days 1,7] | --verify-chain DIR | --floor READINGS");
        return 2;
    }
}
