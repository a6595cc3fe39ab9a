using System;
using System.Collections.Generic;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Tests.Support.Simulation;

/// <summary>
/// Checked on every event of every run: agreement, validity (block rules, certificate, block-time bounds),
/// no honest double-sign across crashes (every message an honest key released, kept across its node's
/// restarts), no evidence against an honest key. Liveness is checked by the simulator at the end.
/// </summary>
public sealed class Invariants
{
    private readonly Scenario scenario;
    private readonly ValidatorSet validators;
    private readonly string chainId;
    private readonly ConsensusParameters parameters;
    private readonly Dictionary<long, ConsensusBlock> decided = new();
    private readonly Dictionary<string, byte[]> released = new(StringComparer.Ordinal);
    private readonly Dictionary<BlockId, long> firstProposedAt = new();
    private readonly Dictionary<string, CertificateCheck> verifiedCertificates = new(StringComparer.Ordinal);

    public Invariants(Scenario scenario, ValidatorSet validators, string chainId, ConsensusParameters parameters)
    {
        this.scenario = scenario;
        this.validators = validators;
        this.chainId = chainId;
        this.parameters = parameters;
    }

    public int EvidenceReports { get; private set; }

    public void Released(SimNode node, MessageType type, long height, int round, byte[] message)
    {
        if (!node.IsHonest) return;
        string slot = $"{node.ValidatorIndex}/{height}/{round}/{(int)type}";
        if (released.TryGetValue(slot, out byte[]? earlier) && !earlier.AsSpan().SequenceEqual(message))
        {
            Fail($"honest {node} signed two different messages for height {height} round {round} {type} (crashes so far: {node.Crashes})");
        }
        released[slot] = message;
    }

    public void Proposed(ConsensusBlock block, long trueTimeMs) => firstProposedAt.TryAdd(block.Id, trueTimeMs);

    public void Evidence(DoubleSignEvidence evidence, IReadOnlyList<SimNode> nodes)
    {
        EvidenceReports++;
        if (!evidence.Verify(chainId, validators)) Fail("a node reported evidence that does not verify");
        foreach (SimNode node in nodes)
        {
            if (node.IsHonest && node.Key.PublicKey.AsSpan().SequenceEqual(evidence.Validator)) Fail($"evidence of double signing against honest {node}");
        }
    }

    public void Decision(SimNode node, Decide decision, long trueTimeMs, long genesisTimeMs)
    {
        ConsensusBlock block = decision.Block;
        if (decision.Height != node.NextHeight) Fail($"{node} decided height {decision.Height} while at {node.NextHeight}");
        if (decided.TryGetValue(decision.Height, out ConsensusBlock? other) && !other.Id.Equals(block.Id))
        {
            Fail($"AGREEMENT: {node} decided {block.Id.Short} at height {decision.Height}, another node decided {other.Id.Short}");
        }
        decided.TryAdd(decision.Height, block);
        if (!TestBlocks.IsWellFormed(decision.Height, block)) Fail($"VALIDITY: {node} decided an invalid block at height {decision.Height}");
        if (TestBlocks.TagOf(block) >= WrongClockBlocks.WrongTimeTag) Fail($"BLOCK TIME: a block from a proposer with a lying clock was decided at height {decision.Height}");
        string encoded = Convert.ToHexString(decision.Certificate.Encode());
        if (!verifiedCertificates.TryGetValue(encoded, out CertificateCheck? check))
        {
            check = decision.Certificate.Verify(chainId, validators);
            verifiedCertificates.Add(encoded, check);
        }
        if (!check.IsValid || !decision.Certificate.BlockId.Equals(block.Id) || decision.Certificate.Height != decision.Height)
        {
            Fail($"VALIDITY: the certificate of height {decision.Height} at {node} is not valid for its block: {check.Reason}");
        }
        long previous = node.LastBlockTime(genesisTimeMs);
        if (block.TimeMs <= previous) Fail($"VALIDITY: block time {block.TimeMs} at height {decision.Height} is not after {previous}");
        // PBTS bounds: some honest validator found the block timely when it was first proposed, so its time is
        // within precision + skew above, and message delay + precision + skew below, the moment it was proposed.
        if (firstProposedAt.TryGetValue(block.Id, out long proposedAt))
        {
            long slack = parameters.ClockPrecisionMs + scenario.MaxClockSkewMs;
            if (block.TimeMs > proposedAt + slack || block.TimeMs < proposedAt - parameters.MessageDelayMs - slack)
            {
                Fail($"BLOCK TIME: height {decision.Height} decided with time {block.TimeMs}, proposed at {proposedAt}");
            }
        }
        if (block.TimeMs > trueTimeMs + parameters.ClockPrecisionMs + scenario.MaxClockSkewMs) Fail($"BLOCK TIME: height {decision.Height} is in the future");
    }

    public void Fail(string what) => throw new InvariantViolationException(scenario, what);
}

public sealed class InvariantViolationException(Scenario scenario, string what)
    : Exception($"{what}\n  {scenario.Describe()}\n  replay: {scenario.ReplayCommand}")
{
    public Scenario Scenario { get; } = scenario;
}
