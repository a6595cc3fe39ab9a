using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Settlement;

namespace CommunityGrid.Cli.Commands.Simulate;

/// <summary>The options of <c>cgrid simulate</c> and their translation into <see cref="SimulationOptions"/>.</summary>
internal sealed class SimulateArguments
{
    public Option<int> Houses { get; } = new("--houses") { Description = "Number of houses (h001…).", DefaultValueFactory = _ => 100 };
    public Option<int> Days { get; } = new("--days") { Description = "Days to simulate.", DefaultValueFactory = _ => 1 };
    public Option<int?> Hours { get; } = new("--hours") { Description = "Simulate only the first N hours of the first day (1..24), for a quick look." };
    public Option<string> Start { get; } = new("--start") { Description = "First day (UTC), yyyy-MM-dd.", DefaultValueFactory = _ => "2026-06-01" };
    public Option<double> PvShare { get; } = new("--pv-share") { Description = "Share of houses with PV, 0..1.", DefaultValueFactory = _ => 0.8 };
    public Option<string> Mechanism { get; } = new("--mechanism") { Description = $"Pricing mechanism ({string.Join("|", SimulationCatalog.Mechanisms)}).", DefaultValueFactory = _ => "sdr" };
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed for profiles and keys: the same seed gives the same chain.", DefaultValueFactory = _ => 42 };
    public Option<DirectoryInfo?> Out { get; } = new("--out") { Description = "Output directory (new or empty); default ./cgrid-sim-<start>-seed<seed>." };
    public Option<string[]> DropMeter { get; } = new("--drop-meter") { Description = "HOUSE:FROM-TO, e.g. h003:10:00-14:00 (times after the start; repeatable): the house's meters are offline and queue their readings.", AllowMultipleArgumentsPerToken = false };
    public Option<string[]> RestartGateway { get; } = new("--restart-gateway") { Description = "HH:MM after the start (repeatable): stop the gateway and start it again, which verifies its chain." };
    public Option<string?> Split { get; } = new("--split") { Description = "HOUSES:YYYY-MM-DD, e.g. 40:2026-06-02: the last HOUSES houses leave from that day and start a new community beside the old one (docs/breakaway.md); both are reported." };
    public Option<string> Transport { get; } = new("--transport") { Description = "mqtt (embedded broker + gateway node) or direct (readings straight into the chain core; one gateway only).", DefaultValueFactory = _ => "mqtt" };
    public Option<int> Gateways { get; } = new("--gateways") { Description = $"Gateways, one per street (houses split across streets), agreeing by consensus over loopback; 1 = one gateway commits alone (1..{SimulationOptions.MaxGateways}).", DefaultValueFactory = _ => 4 };
    public Option<string[]> StopGateway { get; } = new("--stop-gateway") { Description = "GATEWAY:FROM-TO, e.g. g2:10:00-14:00 (repeatable): the gateway is down, its meters fail over to the next gateway; back up, it catches up by block sync." };

    public IEnumerable<Option> All => [Houses, Days, Hours, Start, PvShare, Mechanism, Seed, Out, DropMeter, RestartGateway, Split, Transport, Gateways, StopGateway];

    /// <exception cref="FormatException">an option's value is not acceptable; the message names it.</exception>
    public SimulationOptions Parse(ParseResult result, out bool useMqtt)
    {
        string transport = result.GetValue(Transport)!;
        if (transport is not ("mqtt" or "direct")) throw new FormatException($"--transport: '{transport}' is neither mqtt nor direct");
        useMqtt = transport == "mqtt";
        int gateways = result.GetValue(Gateways);
        // Only an explicit --gateways N > 1 conflicts with direct: the default 4 then means the one gateway direct has.
        if (!useMqtt && gateways > 1)
        {
            if (result.GetResult(Gateways) is { Implicit: false }) throw new FormatException($"--transport direct runs one gateway; drop --transport direct to run --gateways {gateways}, or give --gateways 1");
            gateways = 1;
        }
        SplitPlan? split = result.GetValue(Split) is { } splitText ? SplitPlan.Parse(splitText) : null;
        if (split is not null && gateways > 1)
        {
            // A breakaway run gives each community one gateway; several gateways per community are a separate run.
            if (result.GetResult(Gateways) is { Implicit: false }) throw new FormatException($"--split runs each community with one gateway; give --gateways 1 (or leave it out) with --split");
            gateways = 1;
        }
        string startText = result.GetValue(Start)!;
        if (!DateOnly.TryParseExact(startText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly start))
        {
            throw new FormatException($"--start: '{startText}' is not a date yyyy-MM-dd");
        }
        string mechanism = result.GetValue(Mechanism)!;
        if (!SimulationCatalog.IsKnown(mechanism)) throw new FormatException($"--mechanism: '{mechanism}' is not one of {string.Join(", ", SimulationCatalog.Mechanisms)}");
        long seed = result.GetValue(Seed);
        var outages = new List<MeterOutage>();
        foreach (string text in result.GetValue(DropMeter) ?? []) outages.Add(FailurePlan.ParseOutage(text));
        var restarts = new List<long>();
        foreach (string text in result.GetValue(RestartGateway) ?? []) restarts.Add(FailurePlan.ParseTime(text, "--restart-gateway"));
        var stops = new List<GatewayStop>();
        foreach (string text in result.GetValue(StopGateway) ?? []) stops.Add(FailurePlan.ParseGatewayStop(text));
        string output = result.GetValue(Out)?.FullName ?? Path.GetFullPath($"cgrid-sim-{start:yyyy-MM-dd}-seed{seed}");
        var options = new SimulationOptions
        {
            Community = new CommunityOptions { Houses = result.GetValue(Houses), PvShare = result.GetValue(PvShare), Seed = seed, Mechanism = mechanism },
            Start = start,
            Days = result.GetValue(Days),
            Hours = result.GetValue(Hours),
            OutputDirectory = output,
            Failures = new FailurePlan(outages, restarts) { GatewayStops = stops },
            Split = split,
            Gateways = gateways,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message);
        }
        return options;
    }
}
