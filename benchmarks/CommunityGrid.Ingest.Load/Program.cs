using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Benchmarks.Support;

namespace CommunityGrid.Ingest.Load;

/// <summary>
/// Usage (docs/operations.md, "Ingest capacity"):
///   [--meters 2000 | --meters 100,2000,10000] [--readings 200000] [--runs 3] [--gateways 1] [--block-period-ms 1000]
///   [--cgrid PATH/cgrid.dll] [--before PATH/cgrid.dll] [--timeout-s 900] [--gc service-unit|runtime-defaults]
///   [--meters-release acks|proofs|both] [--hold-after-login-s N] [--before-unit PATH]
/// The gateways run with the memory environment (GC, malloc arenas) of deploy/systemd/communitygrid-gateway.service unless --gc runtime-defaults.
/// --before-unit: the --before build runs with that unit file's memory environment instead (an older build as the
/// unit of its own commit ran it, e.g. `git show COMMIT:deploy/systemd/communitygrid-gateway.service > FILE`).
/// Each run starts the gateway process(es) on a new community, enrols the meters over HTTP, connects them over MQTT,
/// then times publish → every reading released after its block committed, and reads the gateway's CPU
/// (/proc utime + stime) before and after and its memory (VmHWM, VmRSS) at the end. Then raw libsodium verify of the
/// same readings on one thread. With --before, a second build runs in turn (before, after, before, …).
/// --meters-release: acks (default): the meters release on acks, as meters without a validator set; proofs: they are
/// light clients, as the community's meters are configured (docs/protocol.md §7.6, §7.7): they subscribe to their
/// proofs topic too and count a reading committed when a proof message names a last sequence at or above it (the
/// harness reads the proof's meter entry; it does not verify the certificate: that is the meter's cost, not the
/// gateway's); both: a run of each. --hold-after-login-s: wait that long with every meter logged in before the ingest
/// (to take a heap dump of the gateway; its pid is printed). Each stage prints the gateway's memory (proc(5) status).
/// Prints each run and the medians as ratios against the verify baseline of the same runs.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) return Usage();
            options[args[i][2..]] = args[i + 1];
        }
        if (args.Length % 2 != 0) return Usage();
        List<int> meterCounts;
        int readings, runs, gateways, period, timeout, hold;
        try
        {
            meterCounts = options.GetValueOrDefault("meters", "2000").Split(',').Select(Number).ToList();
            readings = Number(options.GetValueOrDefault("readings", "200000"));
            runs = Number(options.GetValueOrDefault("runs", "3"));
            gateways = Number(options.GetValueOrDefault("gateways", "1"));
            period = Number(options.GetValueOrDefault("block-period-ms", "1000"));
            timeout = Number(options.GetValueOrDefault("timeout-s", "900"));
            hold = options.TryGetValue("hold-after-login-s", out string? holdText) ? Number(holdText) : 0;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return Usage();
        }
        string release = options.GetValueOrDefault("meters-release", "acks");
        if (release is not ("acks" or "proofs" or "both")) return Usage();
        bool[] lightClientModes = release switch { "acks" => [false], "proofs" => [true], _ => [false, true] };
        string gc = options.GetValueOrDefault("gc", "service-unit");
        if (gc is not ("service-unit" or "runtime-defaults")) return Usage();
        IReadOnlyDictionary<string, string> gcEnvironment = gc == "service-unit" ? GatewayMemoryEnvironment.FromServiceUnit() : new Dictionary<string, string>();
        Console.WriteLine("gateway memory environment: " + (gcEnvironment.Count == 0 ? "the runtime's defaults" : string.Join(' ', gcEnvironment.Select(e => $"{e.Key}={e.Value}")) + " (the service unit's)"));
        var builds = new List<(string Name, string Cgrid, IReadOnlyDictionary<string, string> Environment)>();
        if (options.TryGetValue("before", out string? before))
        {
            IReadOnlyDictionary<string, string> beforeEnvironment = gcEnvironment;
            if (options.TryGetValue("before-unit", out string? beforeUnit))
            {
                if (!File.Exists(beforeUnit)) return Usage($"--before-unit: no file '{beforeUnit}'");
                beforeEnvironment = GatewayMemoryEnvironment.FromUnitLines(File.ReadLines(beforeUnit));
                Console.WriteLine("before's memory environment: " + string.Join(' ', beforeEnvironment.Select(e => $"{e.Key}={e.Value}")) + $" ({beforeUnit})");
            }
            builds.Add(("before", before, beforeEnvironment));
        }
        else if (options.ContainsKey("before-unit")) return Usage("--before-unit needs --before");
        builds.Add((options.ContainsKey("before") ? "after" : "this build", options.GetValueOrDefault("cgrid", CgridCommand.BesideHarness), gcEnvironment));

        var results = new List<RunFigures>();
        foreach (int meters in meterCounts)
        {
            int perMeter = Math.Max(1, readings / meters);
            Console.WriteLine($"ingest load: {gateways} gateway process(es), {meters} meters × {perMeter} readings, block period {period} ms, {runs} run(s) per build");
            for (int run = 1; run <= runs; run++)
            {
                foreach (bool lightClients in lightClientModes)
                {
                    foreach ((string name, string cgrid, IReadOnlyDictionary<string, string> environment) in builds)
                    {
                        RunFigures figures = await IngestRun.RunAsync(name, cgrid, gateways, meters, perMeter, period, environment, TimeSpan.FromSeconds(timeout), lightClients, TimeSpan.FromSeconds(hold));
                        results.Add(figures);
                        Console.WriteLine($"run {run} {figures.Line()}");
                    }
                }
            }
        }
        Console.WriteLine();
        // The proof messages per reading are printed beside the CPU: under a backlog the proof sender coalesces blocks into
        // one round, a run's count varies with its timing, and each message costs the gateway CPU (operations.md, "Ingest
        // CPU (2026-12-05, fifth session)"): compare CPU per reading between builds only at like counts.
        Console.WriteLine("| build | meters release on | gateways | meters | readings | readings/s | × raw verify | gateway CPU per reading | × raw verify | proof messages per reading | VmHWM | VmRSS | refused publishes |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => (r.Build, r.Meters, r.Release)))
        {
            List<RunFigures> g = group.ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Build} | {group.Key.Release} | {gateways} | {group.Key.Meters} | {g[0].Readings} | {Med(g, r => r.PerSecond):0} | {Med(g, r => r.ThroughputRatio):0.00}× | "
                + $"{Med(g, r => r.CpuMicrosPerReading):0} µs | {Med(g, r => r.CpuRatio):0.0}× | {(group.Key.Release == "proofs" ? Med(g, r => r.ProofMessagesPerReading).ToString("0.00", CultureInfo.InvariantCulture) : "—")} | {Med(g, r => r.PeakMiB):0} MiB | {Med(g, r => r.RssMiB):0} MiB | {Med(g, r => r.Refusals):0} |"));
        }
        Console.WriteLine($"medians of {runs} run(s); raw verify: libsodium Ed25519 of the same readings, 1 thread, in the same run");
        return 0;
    }

    private static double Med(List<RunFigures> runs, Func<RunFigures, double> figure) => Statistics.Median(runs.Select(figure).ToList());

    private static int Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new FormatException($"'{text}' is not a positive whole number");

    private static int Usage(string? problem = null)
    {
        if (problem is not null) Console.Error.WriteLine(problem);
        Console.Error.WriteLine("usage: [--meters 2000[,N…]] [--readings 200000] [--runs 3] [--gateways 1] [--block-period-ms 1000] [--cgrid PATH/cgrid.dll] [--before PATH/cgrid.dll] [--timeout-s 900] [--gc service-unit|runtime-defaults] [--meters-release acks|proofs|both] [--hold-after-login-s N] [--before-unit PATH]");
        Console.Error.WriteLine("  --meters-release proofs: the meters are light clients (subscribe to proofs, release on a proof message's meter entry; the harness does not verify the certificate)");
        return 2;
    }
}

public sealed record RunFigures(string Build, int Meters, long Readings, double Seconds, double GatewayCpuSeconds, double PeakMiB, double RssMiB, long Refusals,
    VerifyBaseline.Figure Verify, bool LightClients, long ProofMessages)
{
    public double ProofMessagesPerReading => ProofMessages / (double)Readings;

    public string Release => LightClients ? "proofs" : "acks";

    public double PerSecond => Readings / Seconds;

    public double ThroughputRatio => PerSecond / Verify.PerSecond;

    public double CpuMicrosPerReading => GatewayCpuSeconds / Readings * 1e6;

    public double CpuRatio => GatewayCpuSeconds / Verify.CpuSeconds;

    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"{Build} ({Release}): {Meters} meters, {Readings} readings committed in {Seconds:0.0} s = {PerSecond:0}/s; gateway CPU {GatewayCpuSeconds:0.00} s ({CpuMicrosPerReading:0} µs/reading); "
        + $"VmHWM {PeakMiB:0} MiB, VmRSS {RssMiB:0} MiB; {Refusals} refused publishes | raw verify {Verify.WallSeconds:0.00} s = {Verify.PerSecond:0}/s, CPU {Verify.CpuSeconds:0.00} s | "
        + $"ratios: throughput {ThroughputRatio:0.00}×, CPU {CpuRatio:0.0}×");
}

/// <summary>One timed run of one build on a new community.</summary>
public static class IngestRun
{
    public static async Task<RunFigures> RunAsync(string build, string cgrid, int gateways, int meters, int perMeter, int blockPeriodMs,
        IReadOnlyDictionary<string, string> gcEnvironment, TimeSpan limit, bool lightClients, TimeSpan holdAfterLogin)
    {
        using var community = new LoadCommunity(gateways, meters, perMeter);
        var processes = new List<GatewayProcess>();
        double seconds, cpu, peak, rss;
        long accepted, refusals, proofMessages;
        try
        {
            var setup = Stopwatch.StartNew();
            for (int g = 0; g < gateways; g++) processes.Add(await GatewayProcess.StartAsync(cgrid, community, g, meters, blockPeriodMs, gcEnvironment));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {build}: started (gateway CPU {processes[0].CpuSeconds():0.00} s); memory: {processes[0].MemoryBreakdown()}"));
            await processes[0].SubmitAsync(community.Enrolments);
            foreach (GatewayProcess p in processes) await p.WaitCommittedAsync(community.Enrolments[^1]);
            Console.WriteLine($"  {build}: {meters} meters enrolled after {setup.Elapsed.TotalSeconds:0} s; memory: {processes[0].MemoryBreakdown()}");
            await using (var fleet = new MeterFleet(community, lightClients))
            {
                double loginCpuBefore = processes.Sum(p => p.CpuSeconds());
                var login = Stopwatch.StartNew();
                await fleet.ConnectAsync(processes.Select(p => p.MqttPort).ToList());
                // Logging in costs the gateway CPU that the ingest figures leave out (issue 18: MQTTnet copied every retained
                // message per SUBSCRIBE, O(meters²)); printed on its own.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {build}: {meters} meters logged in after {setup.Elapsed.TotalSeconds:0} s (login {login.Elapsed.TotalSeconds:0.0} s, gateway CPU {processes.Sum(p => p.CpuSeconds()) - loginCpuBefore:0.00} s)"));
                Console.WriteLine($"  {build}: memory logged in: {processes[0].MemoryBreakdown()}");
                if (holdAfterLogin > TimeSpan.Zero)
                {
                    // Time to attach a profiler or take a heap dump of the gateway with every meter logged in (pid printed).
                    Console.WriteLine($"  {build}: holding {holdAfterLogin.TotalSeconds:0} s before the ingest; gateway pid {processes[0].Pid}");
                    await Task.Delay(holdAfterLogin);
                    Console.WriteLine($"  {build}: memory after the hold: {processes[0].MemoryBreakdown()}");
                }
                double cpuBefore = processes.Sum(p => p.CpuSeconds());
                long proofsBefore = fleet.ProofMessages;
                var wall = Stopwatch.StartNew();
                await fleet.PublishAllAsync(limit);
                seconds = wall.Elapsed.TotalSeconds;
                cpu = processes.Sum(p => p.CpuSeconds()) - cpuBefore;
                (rss, peak) = processes[0].Memory();
                Console.WriteLine($"  {build}: memory after the ingest: {processes[0].MemoryBreakdown()}");
                refusals = fleet.Refusals;
                // The proof sender coalesces blocks into one round when it lags, so a faster round sends more messages per reading.
                proofMessages = fleet.ProofMessages - proofsBefore;
                if (fleet.LightClients) Console.WriteLine($"  {build}: {proofMessages} proof messages received during the ingest ({proofMessages / (double)community.TotalReadings:0.00} per reading)");
                if (fleet.Resent > 0) Console.WriteLine($"  {build}: {fleet.Resent} readings were sent again for want of an ack or proof");
                if (fleet.Rejected > 0) throw processes[0].Failed($"rejected {fleet.Rejected} of the load's readings; the load generator must make only acceptable ones");
            }
            // Another gateway of the set may have acknowledged the last block before this one committed it: a few seconds' grace.
            var settle = Stopwatch.StartNew();
            while ((accepted = await processes[0].CommittedSequencesAsync()) != community.TotalReadings && settle.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(500);
        }
        finally
        {
            foreach (GatewayProcess p in processes) await p.DisposeAsync();
        }
        if (accepted != community.TotalReadings)
        {
            throw new InvalidOperationException($"the chain holds {accepted} of the load's readings (the sum of GET /meters lastSequence), the meters were acknowledged {community.TotalReadings}");
        }
        VerifyBaseline.Figure verify = VerifyBaseline.Measure(community);
        return new RunFigures(build, meters, community.TotalReadings, seconds, cpu, peak, rss, refusals, verify, lightClients, proofMessages);
    }
}
