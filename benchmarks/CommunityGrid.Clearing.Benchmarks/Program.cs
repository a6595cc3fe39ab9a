using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Benchmarks;

/// <summary>
/// Usage: [--houses 1000,10000,100000,1000000] [--runs 7] [--reference-runs 3] [--mechanisms sdr,mmr,bs,auction]
/// [--community household|extreme]
/// [--no-reference] [--phases]. Prints one row per size and mechanism; each figure is the median of its runs, the runs of
/// the three contenders interleaved so a busy neighbour slows all of them alike.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--no-reference" or "--phases")
            {
                options[args[i][2..]] = "1";
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                Console.Error.WriteLine(
                    "usage: [--houses 1000,10000,100000,1000000] [--runs 7] [--reference-runs 3] " +
                    "[--mechanisms sdr,mmr,bs,auction] [--community household|extreme] [--no-reference] [--phases]");
                return 2;
            }
        }

        var sizes = List(options, "houses", "1000,10000,100000,1000000").Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var mechanisms = List(options, "mechanisms", "sdr,mmr,bs,auction").Select(Mechanism).ToArray();
        var runs = int.Parse(options.GetValueOrDefault("runs", "7"), CultureInfo.InvariantCulture);
        var referenceRuns = options.ContainsKey("no-reference")
            ? 0
            : int.Parse(options.GetValueOrDefault("reference-runs", "3"), CultureInfo.InvariantCulture);

        var extreme = options.GetValueOrDefault("community", "household") switch
        {
            "household" => false,
            "extreme" => true,
            var other => throw new ArgumentException($"unknown community '{other}' (household or extreme)"),
        };
        Console.WriteLine($"Clearing one interval of a {(extreme ? "worst-case (limits)" : "household")} community; medians of {runs} runs ({referenceRuns} for the reference engine), interleaved.");
        Console.WriteLine("baseline = copy the ids into an array + Array.Sort(ids, StringComparer.Ordinal), measured in the same run.");
        Console.WriteLine($"{Environment.ProcessorCount} logical processors, load average {LoadAverage()}. Wall time includes waiting for a core on a");
        Console.WriteLine("shared machine; CPU time (the whole process, GC included) moves less. Ratios are taken per column.");
        Console.WriteLine();
        Console.WriteLine(Measure.Header);
        foreach (var size in sizes)
        {
            foreach (var mechanism in mechanisms)
            {
                var input = extreme ? Communities.Extreme(mechanism, size, seed: 18) : Communities.Household(mechanism, size, seed: 18);
                var row = Measure.Row(input, runs, referenceRuns);
                Console.WriteLine(row.Format(size, MechanismNames.NameOf(mechanism)));
                if (options.ContainsKey("phases"))
                {
                    Phases.Print(input, runs);
                }
            }
        }

        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (System.IO.IOException)
        {
            return "unknown";
        }
    }

    private static string[] List(Dictionary<string, string> options, string name, string fallback) =>
        options.GetValueOrDefault(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ClearingMechanism Mechanism(string name) =>
        MechanismNames.TryParse(name, out var mechanism) ? mechanism : throw new ArgumentException($"unknown mechanism '{name}'");
}
