using System.Collections.Generic;
using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Verification;
using Spectre.Console;

namespace CommunityGrid.Cli.Commands.Simulate;

/// <summary>The terminal side of a run: a progress bar in virtual time, then the summary table and the verdict.</summary>
internal static class SimulateConsole
{
    /// <summary>Without a terminal (scripts, CI logs): a line per 10 % of virtual time, and at least one every this often.</summary>
    private static readonly TimeSpan LogLineEvery = TimeSpan.FromSeconds(15);

    public static async Task<SimulationResult> RunWithProgressAsync(CommunitySimulation simulation, SimulationOptions options, CancellationToken cancel)
    {
        string plan = $"{options.Community.Houses} houses, {options.Gateways} gateway(s), {options.Days} day(s) from {options.Start:yyyy-MM-dd}, mechanism {options.Community.Mechanism}, seed {options.Community.Seed}";
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            Console.WriteLine($"simulating {plan} into {options.OutputDirectory}");
            return await simulation.RunAsync(new Reporter(LogLines()), cancel);
        }
        AnsiConsole.MarkupLine($"[bold]Simulating[/] {Markup.Escape(plan)}");
        SimulationResult? result = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("starting", maxValue: 1.0);
                var progress = new Reporter(p =>
                {
                    task.Value = p.Fraction;
                    task.Description = Markup.Escape(p.Stage ?? Line(p));
                });
                result = await simulation.RunAsync(progress, cancel);
                task.Value = 1;
            });
        return result!;
    }

    /// <summary>Tells what comes next after the run (verification and report), as a line in both modes.</summary>
    public static void Stage(string what)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(what)}[/]");
        else Console.WriteLine(what);
    }

    /// <summary>Plain lines for logs: every stage, then progress at each 10 % of virtual time or after <see cref="LogLineEvery"/> of wall time.</summary>
    private static Action<SimulationProgress> LogLines()
    {
        var sinceLine = Stopwatch.StartNew();
        int lastDecile = -1;
        return p =>
        {
            int decile = (int)(p.Fraction * 10);
            if (p.Stage is null && decile == lastDecile && sinceLine.Elapsed < LogLineEvery) return;
            if (p.Stage is null) lastDecile = decile;
            sinceLine.Restart();
            Console.WriteLine(p.Stage ?? string.Create(CultureInfo.InvariantCulture, $"{p.Fraction * 100,3:0} %  {Line(p)}"));
        };
    }

    private static string Line(SimulationProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.SimulatedTime:yyyy-MM-dd HH:mm} UTC  readings {p.ReadingsAccepted}  blocks {p.Blocks}  queued {p.Queued}");

    /// <summary>The breakaway community of a --split run: its own figures from its own chain, and whether it and its parent link verify.</summary>
    public static void PrintBreakaway(SplitOutcome split, ReportData report, ChainVerdict verdict, IReadOnlyList<string> parentProblems)
    {
        ReportSummary s = report.Summary;
        string currency = report.Community.Currency;
        double scale = Math.Pow(10, report.Community.MinorUnitDigits);
        var table = new Table().Title($"Breakaway community '{Markup.Escape(report.Community.ChainId)}' (from its chain)").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string label, FormattableString value) => table.AddRow(Markup.Escape(label), Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
        Row("houses", $"{report.Houses.Count}");
        Row("self-sufficiency", $"{s.SelfSufficiencyPercent:0.00} %");
        Row("production / consumption", $"{s.ProductionWh / 1000.0:0.0} / {s.ConsumptionWh / 1000.0:0.0} kWh");
        Row("grid import / export", $"{s.GridImportWh / 1000.0:0.0} / {s.GridExportWh / 1000.0:0.0} kWh");
        Row("total savings vs each house on the grid alone", $"{s.TotalSavings / scale:0.00} {currency}");
        Row("fund income", $"{s.FundIncome / scale:0.00} {currency}");
        Row("readings / blocks", $"{split.ReadingsAccepted} / {split.Blocks}");
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"report: {System.IO.Path.Combine(split.Directory, ReportFiles.Html)}");
        if (verdict.Valid) AnsiConsole.MarkupLine($"[green]VALID[/]: {Markup.Escape(verdict.Message)}");
        else AnsiConsole.MarkupLine($"[red]INVALID[/]: {Markup.Escape(verdict.Message)}");
        if (parentProblems.Count == 0) AnsiConsole.MarkupLine("[green]VALID[/]: the parent link, members and meters match the old chain's exit records");
        else AnsiConsole.MarkupLine($"[red]INVALID[/]: {Markup.Escape(string.Join("; ", parentProblems))}");
    }

    public static void PrintSummary(SimulationResult result, ReportData report, ChainVerdict verdict)
    {
        ReportSummary s = report.Summary;
        string currency = report.Community.Currency;
        double scale = Math.Pow(10, report.Community.MinorUnitDigits);
        var table = new Table().Title("CommunityGrid simulation (from the chain)").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string label, FormattableString value) => table.AddRow(Markup.Escape(label), Markup.Escape(value.ToString(CultureInfo.InvariantCulture)));
        Row("self-sufficiency", $"{s.SelfSufficiencyPercent:0.00} %");
        Row("self-consumption", $"{s.SelfConsumptionPercent:0.00} %");
        Row("production / consumption", $"{s.ProductionWh / 1000.0:0.0} / {s.ConsumptionWh / 1000.0:0.0} kWh");
        Row("grid import / export", $"{s.GridImportWh / 1000.0:0.0} / {s.GridExportWh / 1000.0:0.0} kWh");
        Row("total savings vs each house on the grid alone", $"{s.TotalSavings / scale:0.00} {currency}");
        Row("houses better / worse off: with PV; without PV", $"{s.Pv.Gained} / {s.Pv.PaidMore}; {s.NonPv.Gained} / {s.NonPv.PaidMore}");
        Row("fund income", $"{s.FundIncome / scale:0.00} {currency}");
        Row("readings", $"{s.Readings}");
        Row("blocks", $"{s.Blocks}");
        Row("transport", $"{result.TransportName}, {result.GatewayRestarts} gateway restart(s), {result.Rejected} rejected, {result.Duplicates} duplicate(s)");
        if (result.TransportName == "mqtt")
        {
            DownlinkTotals d = result.Downlink;
            Row("signed acks / display messages (verified, dropped)", $"{d.AcksVerified}, {d.AcksDropped} / {d.DisplaysVerified}, {d.DisplaysDropped}");
            ProofTotals p = result.Proofs;
            Row("proofs verified / refused / older skipped (light-client meters)", $"{p.Verified} / {p.Refused} / {p.Skipped}");
            Row("light clients' work: signature checks / SHA-256 hashes", $"{p.SignatureChecks} / {p.Hashes}");
            if (p.WaitTimeouts > 0) Row("steps whose proofs did not arrive within the limit", $"{p.WaitTimeouts}");
        }
        StageTimes t = result.Times;
        // The node settles with the chain's default catalog, so over MQTT clearing time is inside the gateway's.
        string clearing = result.TransportName == "mqtt" ? "(in gateway)" : t.Clearing.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        Row("time: profiles / meters / transport / gateway / clearing", $"{t.Profiles.TotalSeconds:0.00} / {t.Meters.TotalSeconds:0.00} / {t.Transport.TotalSeconds:0.00} / {t.Gateway.TotalSeconds:0.00} / {clearing} s");
        Row("wall time", $"{t.Total.TotalSeconds:0.0} s ({result.HouseIntervals / Math.Max(t.Total.TotalSeconds, 1e-9):0} house-intervals/s)");
        if (report.Gateways is { } cluster)
        {
            Row("gateways (blocks proposed)", $"{string.Join(", ", cluster.Gateways.Select(g => $"{g.Name} {g.BlocksProposed}"))}; {result.GatewayStops} stop(s)");
            Row("rounds per height (rounds: heights)", $"{string.Join(", ", cluster.RoundsPerHeight.Select(r => $"{r.Rounds}: {r.Heights}"))}");
            if (result.SettleWaitTimeouts > 0) Row("steps the cluster did not settle within the limit", $"{result.SettleWaitTimeouts}");
            if (result.GossipWaitTimeouts > 0) Row("steps whose transactions did not reach every gateway in time", $"{result.GossipWaitTimeouts}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"report: {System.IO.Path.Combine(result.OutputDirectory, ReportFiles.Html)}");
        if (verdict.Valid) AnsiConsole.MarkupLine($"[green]VALID[/]: {Markup.Escape(verdict.Message)}");
        else AnsiConsole.MarkupLine($"[red]INVALID[/]: {Markup.Escape(verdict.Message)}");
        if (result.Proofs.Refused > 0)
        {
            AnsiConsole.MarkupLine($"[red]REFUSED[/]: {result.Proofs.Refused} proof message(s) did not verify on the meters' light clients; first: {Markup.Escape(string.Join("; ", result.Proofs.FirstRefusals))}");
        }
        if (report.Gateways is { } gateways)
        {
            foreach (GatewayRow g in gateways.Gateways)
            {
                string tip = g.TipHash is null ? "no tip" : $"height {g.Height}, tip {g.TipHash[..16]}…";
                AnsiConsole.MarkupLine(g.Valid ? $"[green]VALID[/] {g.Name} ({Markup.Escape(tip)}): {Markup.Escape(g.Verdict)}" : $"[red]INVALID[/] {g.Name}: {Markup.Escape(g.Verdict)}");
            }
            AnsiConsole.MarkupLine(gateways.Identical
                ? $"[green]IDENTICAL[/]: all {gateways.Gateways.Count} gateways hold the same chain (tip {Markup.Escape(gateways.Gateways[0].TipHash ?? "")})"
                : "[red]DIFFERENT[/]: the gateways' chains differ; see the tips above");
        }
    }

    private sealed class Reporter(Action<SimulationProgress> report) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value) => report(value);
    }
}
