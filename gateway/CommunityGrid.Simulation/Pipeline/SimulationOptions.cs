using System;
using CommunityGrid.Simulation.Community;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>One run: the community, the simulated period, the output directory and the failures to inject.</summary>
public sealed record SimulationOptions
{
    public CommunityOptions Community { get; init; } = new();
    public DateOnly Start { get; init; } = new(2026, 6, 1);
    public int Days { get; init; } = 1;
    public required string OutputDirectory { get; init; }
    public FailurePlan Failures { get; init; } = FailurePlan.None;
    /// <summary>Virtual-time step of the loop; meters and gateway act at these instants.</summary>
    public int StepSeconds { get; init; } = 5;
    /// <summary>A minute: the chain recomputes its state root over all entries for every block, so fewer, fuller blocks are what keeps a day of 100 houses fast.</summary>
    public long BlockPeriodMs { get; init; } = 60_000;
    /// <summary>Include the governance event (a proposal to switch the pricing mechanism, the houses' votes, its effect); docs/simulation.md.</summary>
    public bool GovernanceEvent { get; init; } = true;
    /// <summary>Houses leaving for a new community during the run, or null; docs/simulation.md.</summary>
    public SplitPlan? Split { get; init; }

    /// <summary>The gateway node's file name, so `cgrid gateway run --data DIR` can open a simulated chain as it is.</summary>
    public const string ChainFileName = Node.Hosting.GatewayNode.DatabaseFileName;
    public const string GenesisFileName = "genesis.json";

    public long StartUnixSeconds => new DateTimeOffset(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
    public long EndUnixSeconds => StartUnixSeconds + Days * 86400L;

    public void Validate()
    {
        Community.Validate();
        if (Days is < 1 or > 366) throw new ArgumentException($"--days must be a number of days from 1 to 366, not {Days}");
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
