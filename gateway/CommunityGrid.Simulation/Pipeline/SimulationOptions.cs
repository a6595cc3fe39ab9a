using System;
using System.Linq;
using CommunityGrid.Simulation.Community;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>One run: the community, the simulated period, the output directory and the failures to inject.</summary>
public sealed record SimulationOptions
{
    public CommunityOptions Community { get; init; } = new();
    public DateOnly Start { get; init; } = new(2026, 6, 1);
    public int Days { get; init; } = 1;
    /// <summary>Simulate only this many hours of the first day (quick looks and tests); null: whole <see cref="Days"/>.</summary>
    public int? Hours { get; init; }
    /// <summary>
    /// Gateways, one per street, houses split across the streets in contiguous groups. 1: one gateway commits alone
    /// (<see cref="MqttTransport"/>); more: each a full node with its own store, agreeing by consensus (<see cref="ClusterTransport"/>).
    /// </summary>
    public int Gateways { get; init; } = 1;
    public required string OutputDirectory { get; init; }
    public FailurePlan Failures { get; init; } = FailurePlan.None;
    /// <summary>Virtual-time step of the loop; meters and gateway act at these instants.</summary>
    public int StepSeconds { get; init; } = 5;
    /// <summary>A minute: every block costs the gateway a fixed share (header, commit, proofs to every meter with a reading in it, a commit check by every light-client meter), so fewer, fuller blocks keep a day of 100 houses fast.</summary>
    public long BlockPeriodMs { get; init; } = 60_000;
    /// <summary>Include the governance event (a proposal to switch the pricing mechanism, the houses' votes, its effect); docs/simulation.md.</summary>
    public bool GovernanceEvent { get; init; } = true;
    /// <summary>Houses leaving for a new community during the run, or null; docs/simulation.md.</summary>
    public SplitPlan? Split { get; init; }

    /// <summary>The gateway node's file name, so `cgrid gateway run --data DIR` can open a simulated chain as it is.</summary>
    public const string ChainFileName = Node.Hosting.GatewayNode.DatabaseFileName;
    public const string GenesisFileName = "genesis.json";

    public long StartUnixSeconds => new DateTimeOffset(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
    public long EndUnixSeconds => StartUnixSeconds + PeriodSeconds;

    public long PeriodSeconds => Hours is { } hours ? hours * 3600L : Days * 86400L;

    /// <summary>Where gateway g (1-based) of several keeps its data: OUTPUT/gateways/gN.</summary>
    public string GatewayDirectory(int gateway) => System.IO.Path.Combine(OutputDirectory, GatewaysDirectoryName, $"g{gateway}");

    public const string GatewaysDirectoryName = "gateways";
    /// <summary>Most gateways a simulated community may have (the streets: typically 3 to 7).</summary>
    public const int MaxGateways = 16;

    public void Validate()
    {
        Community.Validate();
        if (Days is < 1 or > 366) throw new ArgumentException($"--days must be a number of days from 1 to 366, not {Days}");
        if (Hours is < 1 or > 24) throw new ArgumentException($"--hours must be a number of hours from 1 to 24, not {Hours}");
        if (Gateways is < 1 or > MaxGateways) throw new ArgumentException($"--gateways must be a number of gateways from 1 to {MaxGateways}, not {Gateways}");
        foreach (GatewayStop stop in Failures.GatewayStops)
        {
            if (Gateways == 1) throw new ArgumentException($"--stop-gateway needs several gateways (--gateways 4): a single gateway stopped commits nothing; use --restart-gateway");
            if (stop.Gateway > Gateways) throw new ArgumentException($"--stop-gateway: '{stop.Name}' is not one of g1..g{Gateways}");
            // Consensus needs more than two thirds of the gateways running (docs/consensus.md).
            int down = Failures.GatewayStops.Count(s => s.FromSeconds <= stop.FromSeconds && stop.FromSeconds < s.ToSeconds);
            if ((Gateways - down) * 3 <= Gateways * 2)
            {
                throw new ArgumentException($"--stop-gateway: at {stop.FromSeconds / 3600:00}:{stop.FromSeconds % 3600 / 60:00} {down} of {Gateways} gateways would be down; consensus needs more than two thirds running, so stop fewer at once or use more --gateways");
            }
        }
        foreach (MeterOutage outage in Failures.Outages)
        {
            if (!HouseIdInRange(outage.HouseId)) throw new ArgumentException($"--drop-meter: house '{outage.HouseId}' is not one of h001..h{Community.Houses:D3}");
        }
        if (Split is { } split)
        {
            if (split.Houses < 1 || split.Houses >= Community.Houses)
            {
                throw new ArgumentException($"--split: 1..{Community.Houses - 1} houses can leave a community of {Community.Houses}, not {split.Houses}");
            }
            if (split.Day <= Start || split.Day >= Start.AddDays(Days))
            {
                throw new ArgumentException($"--split: the day must be after the first simulated day {Start:yyyy-MM-dd} and within the run (before {Start.AddDays(Days):yyyy-MM-dd})");
            }
        }
    }

    private bool HouseIdInRange(string id) =>
        id.Length == 4 && id[0] == 'h' && int.TryParse(id.AsSpan(1), out int n) && n >= 1 && n <= Community.Houses;
}
