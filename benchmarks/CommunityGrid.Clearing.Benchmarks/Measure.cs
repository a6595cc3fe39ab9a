using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Tests.Reference;

namespace CommunityGrid.Clearing.Benchmarks;

/// <summary>Median wall and CPU milliseconds of a contender's runs (each median taken separately).</summary>
internal sealed record Timing(double WallMs, double CpuMs)
{
    public static Timing Median(List<(double Wall, double Cpu)> runs)
    {
        var walls = new List<double>();
        var cpus = new List<double>();
        foreach (var (wall, cpu) in runs)
        {
            walls.Add(wall);
            cpus.Add(cpu);
        }

        return new Timing(Middle(walls), Middle(cpus));
    }

    private static double Middle(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}

/// <summary>One size and mechanism: baseline, engine and reference, interleaved run by run.</summary>
internal sealed record Measure(Timing Baseline, Timing Engine, Timing? Reference, bool? Identical)
{
    public static Measure Row(ClearingInput input, int runs, int referenceRuns)
    {
        // Above the validated limit (the million-house row) the engine runs without validation.
        Func<ClearingInput, ClearingResult> engine = input.Houses.Count <= ClearingLimits.MaxHouses
            ? ClearingEngine.Clear
            : ClearingEngine.ClearValidated;

        // Warm-up on a small copy: twice 40 calls with a pause between, so tiered compilation has promoted
        // the hot methods to optimised code (it waits ~100 ms after 30 calls) before anything is timed.
        var small = input with { Houses = input.Houses.Count > 2000 ? [.. Slice(input.Houses, 2000)] : input.Houses };
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 40; i++)
            {
                BaselineSort(small.Houses);
                engine(small);
            }

            System.Threading.Thread.Sleep(300);
        }

        var engineResult = engine(input);
        bool? identical = null;
        if (referenceRuns > 0)
        {
            ReferenceClearingEngine.Clear(small);
            identical = Same(ReferenceClearingEngine.Clear(input), engineResult);
        }

        var baseline = new List<(double, double)>();
        var engineTimes = new List<(double, double)>();
        var referenceTimes = new List<(double, double)>();
        for (var run = 0; run < runs; run++)
        {
            baseline.Add(Time(() => BaselineSort(input.Houses)));
            engineTimes.Add(Time(() => engine(input)));
            if (run < referenceRuns)
            {
                referenceTimes.Add(Time(() => ReferenceClearingEngine.Clear(input)));
            }
        }

        return new Measure(
            Timing.Median(baseline), Timing.Median(engineTimes), referenceTimes.Count > 0 ? Timing.Median(referenceTimes) : null, identical);
    }

    public const string Header =
        "   houses  mechanism     baseline ms        engine ms  engine/baseline      reference ms  reference/baseline  identical\n" +
        "                         wall    cpu      wall    cpu     wall    cpu       wall     cpu      wall      cpu";

    public string Format(int houses, string mechanism)
    {
        var reference = Reference is { } r
            ? string.Create(CultureInfo.InvariantCulture,
                $"{r.WallMs,10:F1} {r.CpuMs,7:F1}  {r.WallMs / Baseline.WallMs,7:F1}× {r.CpuMs / Baseline.CpuMs,7:F1}×")
            : $"{"-",10} {"-",7}  {"-",8} {"-",8}";
        var identical = Identical switch { true => "yes", false => "NO", null => "-" };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{houses,9}  {mechanism,-9} {Baseline.WallMs,7:F2} {Baseline.CpuMs,6:F2}  {Engine.WallMs,8:F2} {Engine.CpuMs,6:F2}  {Engine.WallMs / Baseline.WallMs,6:F2}× {Engine.CpuMs / Baseline.CpuMs,5:F2}×  {reference}  {identical,9}");
    }

    /// <summary>The baseline issue 18 sets: copy the ids into an array and sort them ordinally.</summary>
    private static string[] BaselineSort(IReadOnlyList<HousePosition> houses)
    {
        var ids = new string[houses.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = houses[i].Id;
        }

        Array.Sort(ids, StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Wall and process CPU time of one call, after a full collection so no earlier garbage is billed.</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var cpu = new CpuWatch();
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed.TotalMilliseconds, cpu.Elapsed.TotalMilliseconds);
    }

    private static IEnumerable<HousePosition> Slice(IReadOnlyList<HousePosition> houses, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return houses[i];
        }
    }

    private static bool Same(ClearingResult expected, ClearingResult actual)
    {
        if (expected.Mechanism != actual.Mechanism || expected.InternalPrice != actual.InternalPrice
            || expected.AverageBuyPrice != actual.AverageBuyPrice || expected.AverageSellPrice != actual.AverageSellPrice
            || expected.Community != actual.Community || expected.Houses.Count != actual.Houses.Count)
        {
            return false;
        }

        for (var k = 0; k < expected.Houses.Count; k++)
        {
            if (expected.Houses[k] != actual.Houses[k])
            {
                return false;
            }
        }

        return true;
    }
}
