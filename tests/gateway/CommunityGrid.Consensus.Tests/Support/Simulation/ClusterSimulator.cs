using System;
using System.Collections.Generic;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Signing;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Tests.Support.Simulation;

/// <summary>
/// The whole cluster in one process on a seeded scheduler: a virtual clock, a simulated network and the
/// real state machines and guarded signers. Everything random comes from the scenario's seed and events
/// at equal times run in the order they were scheduled, so a seed replays exactly.
/// </summary>
public sealed partial class ClusterSimulator
{
    public const string ChainId = "sim-chain";
    public const long GenesisTimeMs = 1_700_000_000_000;
    private const long GossipIntervalMs = 1_000;
    private const long PartitionChangeMinMs = 1_000, PartitionChangeMaxMs = 6_000;

    private readonly Scenario scenario;
    private readonly DeterministicRandom random;
    private readonly ConsensusParameters parameters = new();
    private readonly PriorityQueue<Action, (long Time, long Sequence)> events = new();
    private readonly List<SimNode> nodes = new();
    private readonly Invariants invariants;
    private readonly ValidatorSet validators;
    private readonly Ed25519Signer[] keys;
    private long sequence;
    private long now;
    private bool afterGst;
    private long targetHeight = long.MaxValue;
    private readonly Dictionary<long, long> heightStartedAt = new();
    private readonly Dictionary<long, int> decidedRound = new();
    private ulong fingerprint = 14695981039346656037UL;

    public ClusterSimulator(Scenario scenario)
    {
        this.scenario = scenario;
        random = new DeterministicRandom(scenario.Seed);
        keys = new Ed25519Signer[scenario.Validators];
        var publicKeys = new List<byte[]>();
        for (int i = 0; i < keys.Length; i++)
        {
            var seed = new byte[Ed25519Signer.SeedSize];
            BitConverter.GetBytes(scenario.Seed).CopyTo(seed, 0);
            seed[31] = (byte)(i + 1);
            keys[i] = Ed25519Signer.FromSeed(seed);
            publicKeys.Add(keys[i].PublicKey);
        }
        validators = new ValidatorSet(publicKeys);
        invariants = new Invariants(scenario, validators, ChainId, parameters);
        CreateNodes();
    }

    /// <summary>Events processed (a measure of a schedule's cost).</summary>
    public long Events { get; private set; }

    public SimulationResult Run()
    {
        try
        {
            foreach (SimNode node in nodes) Boot(node);
            foreach (SimNode node in nodes) ScheduleGossip(node, node.Incarnation);
            if (scenario.Partitions || HasTwins) ChangePartitions();
            if (scenario.CrashPermillePerSecond > 0) At(1_000, CrashTick);
            At(scenario.GstMs, ReachGst);
            long deadline = scenario.GstMs + scenario.LivenessWindowMs;
            while (events.TryDequeue(out Action? action, out var when))
            {
                if (when.Time > deadline) break;
                now = when.Time;
                Events++;
                action();
                if (afterGst && AllHonestReached(targetHeight)) break;
            }
            if (!AllHonestReached(targetHeight))
            {
                invariants.Fail($"LIVENESS: honest nodes did not all reach height {targetHeight} within {scenario.LivenessWindowMs} ms after GST (heights: {HeightsText()})");
            }
            return Result();
        }
        finally
        {
            foreach (Ed25519Signer key in keys) key.Dispose();
        }
    }

    private bool HasTwins => scenario.Roles.Contains(NodeRole.Twin);

    private void CreateNodes()
    {
        for (int v = 0; v < scenario.Validators; v++)
        {
            NodeRole role = scenario.Roles[v];
            int copies = role == NodeRole.Twin ? 2 : 1;
            for (int copy = 0; copy < copies; copy++)
            {
                int id = nodes.Count;
                long skew = random.Between(-scenario.MaxClockSkewMs, scenario.MaxClockSkewMs);
                IBlockRules rules = role == NodeRole.WrongTime
                    ? new WrongClockBlocks(id, (random.Chance(500) ? 1 : -1) * random.Between(parameters.MessageDelayMs + parameters.ClockPrecisionMs + 1_000, 600_000))
                    : new TestBlocks(id);
                nodes.Add(new SimNode(id, v, role, keys[v], skew, rules, role == NodeRole.Twin && scenario.TwinsCountAsHonest));
            }
        }
    }

    private void Fingerprint(SimNode node, Decide decision)
    {
        foreach (long value in new[] { node.Id, decision.Height, decision.Round, now, System.BitConverter.ToInt64(decision.Block.Id.Bytes[..8]) })
        {
            fingerprint = (fingerprint ^ (ulong)value) * 1099511628211UL;
        }
    }

    private long LocalTime(SimNode node) => GenesisTimeMs + now + node.ClockSkewMs;

    private void At(long time, Action action) => events.Enqueue(action, (time, sequence++));

    private void Boot(SimNode node)
    {
        node.Alive = true;
        var signer = new GuardedSigner(ChainId, node.Key, node.Store);
        node.Machine = new TendermintMachine(ChainId, parameters, node.Rules, signer);
        Enter(node, node.NextHeight);
    }

    private void Enter(SimNode node, long height)
    {
        if (node.IsHonest) heightStartedAt.TryAdd(height, now);
        Process(node, m => m.StartHeight(height, validators, node.LastBlockTime(GenesisTimeMs), LocalTime(node)));
    }

    private void Crash(SimNode node)
    {
        if (!node.Alive) return;
        node.Alive = false;
        node.Machine = null;
        // The gateway keeps only its chain and its sign state (with the locked block) across a crash, not the
        // blocks it received (ConsensusDriver): a simulated host that kept them hid a stall the real one had.
        node.SeenBlocks.Clear();
        node.Incarnation++;
        node.Crashes++;
        int incarnation = node.Incarnation;
        At(now + random.Between(300, afterGst ? 1_000 : 6_000), () =>
        {
            if (node.Incarnation != incarnation || node.Alive) return;
            Boot(node);
            ScheduleGossip(node, node.Incarnation);
        });
    }

    private void CrashTick()
    {
        if (afterGst) return;
        foreach (SimNode node in nodes)
        {
            if (!node.Alive || node.Role is NodeRole.Equivocator or NodeRole.Withholder or NodeRole.WrongTime) continue;
            if (!random.Chance(scenario.CrashPermillePerSecond)) continue;
            // Either crash now, or arm a crash inside the next durable write: after signing, before persisting.
            if (random.Chance(scenario.CrashInsideSavePermille)) node.Store.FailNextSave = true;
            else Crash(node);
        }
        At(now + 1_000, CrashTick);
    }

    private void ChangePartitions()
    {
        if (afterGst) return;
        foreach (SimNode node in nodes) node.Partition = random.Next(2);
        for (int i = 1; i < nodes.Count; i++)
        {
            // Twins: the two copies of one key always on different sides before GST.
            if (nodes[i].Role == NodeRole.Twin && nodes[i - 1].ValidatorIndex == nodes[i].ValidatorIndex) nodes[i].Partition = 1 - nodes[i - 1].Partition;
        }
        At(now + random.Between(PartitionChangeMinMs, PartitionChangeMaxMs), ChangePartitions);
    }

    private void ReachGst()
    {
        afterGst = true;
        long highest = 0;
        foreach (SimNode node in nodes)
        {
            node.Partition = 0;
            node.Store.FailNextSave = false;
            highest = Math.Max(highest, node.Chain.Count);
        }
        targetHeight = highest + scenario.HeightsAfterGst;
    }

    private void ScheduleGossip(SimNode node, int incarnation)
    {
        At(now + GossipIntervalMs, () =>
        {
            if (!node.Alive || node.Incarnation != incarnation) return;
            foreach (ConsensusOutput again in node.Machine!.Retransmissions()) Handle(node, again, retransmission: true);
            Broadcast(node, new StatusMessage(node.NextHeight));
            ScheduleGossip(node, incarnation);
        });
    }

    private bool AllHonestReached(long height)
    {
        foreach (SimNode node in nodes)
        {
            if (node.IsHonest && node.Chain.Count < height) return false;
        }
        return true;
    }

    private string HeightsText()
    {
        var parts = new List<string>();
        foreach (SimNode node in nodes)
        {
            var last = node.Store.Load();
            parts.Add($"{node.Id}:{node.Chain.Count}{(node.Alive ? "" : "(down)")} r{node.Machine?.Round} {node.Machine?.Step} lock{node.Machine?.LockedRound} signed h{last?.Height}r{last?.Round}{last?.Type}");
        }
        return string.Join(" ", parts);
    }

    private SimulationResult Result()
    {
        int maxRound = 0, maxRoundAfterGst = 0;
        long settled = scenario.GstMs + SettleMs;
        foreach ((long height, int round) in decidedRound)
        {
            maxRound = Math.Max(maxRound, round);
            if (heightStartedAt.TryGetValue(height, out long started) && started >= settled) maxRoundAfterGst = Math.Max(maxRoundAfterGst, round);
        }
        if (maxRoundAfterGst > RoundBoundAfterGst)
        {
            invariants.Fail($"LIVENESS: a height started {SettleMs} ms after GST needed round {maxRoundAfterGst}; the bound is {RoundBoundAfterGst} (f + 2)");
        }
        long committed = 0;
        int crashes = 0;
        foreach (SimNode node in nodes)
        {
            committed = Math.Max(committed, node.Chain.Count);
            crashes += node.Crashes;
        }
        return new SimulationResult(scenario, committed, maxRound, maxRoundAfterGst, invariants.EvidenceReports, crashes, now, fingerprint);
    }

    /// <summary>
    /// Rounds a height may need once GST has passed and the nodes have settled: the proposers of f rounds may
    /// be faulty, one more round may be spent re-proposing a value some honest validators are locked on, and
    /// round f + 1 then has an honest proposer whose proposal every honest validator accepts.
    /// </summary>
    public int RoundBoundAfterGst => scenario.Faulty + 2;

    /// <summary>Time after GST for messages sent before it to drain and the honest nodes to meet in one round.</summary>
    public long SettleMs => scenario.MaxDelayMs + parameters.TimeoutMs(TimeoutStep.Propose, 0) * 4;
}

/// <param name="Fingerprint">FNV-1a over every decision (node, height, round, block, virtual time): equal for equal runs.</param>
public sealed record SimulationResult(Scenario Scenario, long Heights, int MaxRound, int MaxRoundAfterGst, int EvidenceReports, int Crashes, long VirtualMs, ulong Fingerprint);
