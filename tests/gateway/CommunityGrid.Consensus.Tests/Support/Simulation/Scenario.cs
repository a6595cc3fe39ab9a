using System.Collections.Generic;
using System.Text;

namespace CommunityGrid.Consensus.Tests.Support.Simulation;

public enum NodeRole
{
    Honest,
    /// <summary>Equivocating proposer (two blocks to two halves) and double votes (a conflicting vote to half the peers).</summary>
    Equivocator,
    /// <summary>Proposes blocks whose time is far from its clock, to close intervals early or late.</summary>
    WrongTime,
    /// <summary>Sends each message only to a random subset of peers, often none.</summary>
    Withholder,
    /// <summary>Two honest copies of one validator with one key, kept in different partitions before GST.</summary>
    Twin,
}

/// <summary>
/// One schedule of the cluster simulation, drawn entirely from its seed: the size, the faulty validators and
/// their behaviour, the network before GST (delay, drop, duplicate, reorder, partitions), crashes and
/// restarts. After GST the network delivers every message within <see cref="GoodDelayMs"/> and at least
/// 2f+1 honest validators are up and connected.
/// </summary>
public sealed class Scenario
{
    public ulong Seed { get; init; }
    public int Validators { get; init; }
    public List<NodeRole> Roles { get; init; } = new();   // per validator index
    public long GstMs { get; init; }
    public int DropPermille { get; init; }
    public int DuplicatePermille { get; init; }
    public long MaxDelayMs { get; init; }
    public long GoodDelayMs { get; init; } = 200;
    public bool Partitions { get; init; }
    public int CrashPermillePerSecond { get; init; }
    public int CrashInsideSavePermille { get; init; }
    public long MaxClockSkewMs { get; init; } = 250;
    public int HeightsAfterGst { get; init; } = 4;
    public long LivenessWindowMs { get; init; } = 120_000;

    public int Faulty => (Validators - 1) / 3;

    /// <summary>The generator the CI run and the long run share: the seed picks everything.</summary>
    public static Scenario FromSeed(ulong seed)
    {
        var random = new DeterministicRandom(seed ^ 0x5DEECE66DUL);
        int n = random.Chance(500) ? 4 : 7;
        int f = (n - 1) / 3;
        var roles = new List<NodeRole>();
        for (int i = 0; i < n; i++) roles.Add(NodeRole.Honest);
        int faulty = random.Next(f + 1);     // 0..f Byzantine validators
        for (int placed = 0; placed < faulty;)
        {
            int index = random.Next(n);
            if (roles[index] != NodeRole.Honest) continue;
            roles[index] = (NodeRole)(1 + random.Next(4));
            placed++;
        }
        return new Scenario
        {
            Seed = seed,
            Validators = n,
            Roles = roles,
            GstMs = random.Between(2_000, 15_000),
            DropPermille = random.Next(350),
            DuplicatePermille = random.Next(200),
            MaxDelayMs = random.Between(50, 4_000),
            Partitions = random.Chance(600),
            CrashPermillePerSecond = random.Chance(600) ? random.Next(80) : 0,
            CrashInsideSavePermille = random.Next(500),
        };
    }

    /// <summary>A schedule from <paramref name="seed"/> with exactly <paramref name="count"/> validators of <paramref name="role"/>.</summary>
    public static Scenario Targeted(ulong seed, int validators, NodeRole role, int count)
    {
        Scenario drawn = FromSeed(seed);
        var random = new DeterministicRandom(seed ^ 0xC0FFEEUL);
        var roles = new List<NodeRole>();
        for (int i = 0; i < validators; i++) roles.Add(NodeRole.Honest);
        for (int placed = 0; placed < count;)
        {
            int index = random.Next(validators);
            if (roles[index] != NodeRole.Honest) continue;
            roles[index] = role;
            placed++;
        }
        return new Scenario
        {
            Seed = seed,
            Validators = validators,
            Roles = roles,
            GstMs = drawn.GstMs,
            DropPermille = drawn.DropPermille,
            DuplicatePermille = drawn.DuplicatePermille,
            MaxDelayMs = drawn.MaxDelayMs,
            Partitions = role == NodeRole.Twin || drawn.Partitions,
            CrashPermillePerSecond = drawn.CrashPermillePerSecond,
            CrashInsideSavePermille = drawn.CrashInsideSavePermille,
            TwinsCountAsHonest = false,
            TargetedCase = $"{role} x{count}",
        };
    }

    /// <summary>
    /// Test of the checker itself: twin copies are held to the honest invariants, which they must break
    /// (one key signing in two partitions is exactly a double sign).
    /// </summary>
    public bool TwinsCountAsHonest { get; init; }

    public string? TargetedCase { get; init; }

    public string Describe()
    {
        var text = new StringBuilder($"seed {Seed}: n={Validators}, GST {GstMs} ms, before GST drop {DropPermille}‰ dup {DuplicatePermille}‰ delay ≤{MaxDelayMs} ms");
        if (TargetedCase is not null) text.Append($", targeted {TargetedCase}");
        if (TwinsCountAsHonest) text.Append(", twins held to honest invariants");
        if (Partitions) text.Append(", partitions");
        if (CrashPermillePerSecond > 0) text.Append($", crashes {CrashPermillePerSecond}‰/s");
        for (int i = 0; i < Roles.Count; i++)
        {
            if (Roles[i] != NodeRole.Honest) text.Append($", v{i} {Roles[i]}");
        }
        return text.ToString();
    }

    public string ReplayCommand => TargetedCase is null
        ? $"CGRID_CONSENSUS_SEED={Seed} dotnet test tests/gateway/CommunityGrid.Consensus.Tests -c Release --filter \"FullyQualifiedName~ClusterSimulationTests.Replay\""
        : $"dotnet test tests/gateway/CommunityGrid.Consensus.Tests -c Release --filter \"FullyQualifiedName~ByzantineScheduleTests\" (targeted {TargetedCase}, seed {Seed})";
}
