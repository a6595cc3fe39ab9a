using System;
using System.Collections.Generic;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Tests.Support.Simulation;

/// <summary>The host side: carrying out the machine's outputs, the network, and the Byzantine behaviours.</summary>
public sealed partial class ClusterSimulator
{
    private void Process(SimNode node, Func<TendermintMachine, IReadOnlyList<ConsensusOutput>> input)
    {
        if (!node.Alive) return;
        IReadOnlyList<ConsensusOutput> outputs;
        try
        {
            outputs = input(node.Machine!);
        }
        catch (SimulatedCrashException)
        {
            Crash(node); // killed after signing, before the state was durable: nothing of this input left the process
            return;
        }
        int incarnation = node.Incarnation;
        foreach (ConsensusOutput output in outputs)
        {
            if (!node.Alive || node.Incarnation != incarnation) return;
            Handle(node, output, retransmission: false);
        }
    }

    private void Handle(SimNode node, ConsensusOutput output, bool retransmission)
    {
        switch (output)
        {
            case BroadcastProposal proposal:
                bool own = proposal.Proposal.Proposer.AsSpan().SequenceEqual(node.Key.PublicKey);
                if (own) invariants.Released(node, MessageType.Proposal, proposal.Proposal.Height, proposal.Proposal.Round, proposal.Proposal.Encode());
                invariants.Proposed(proposal.Block, GenesisTimeMs + now);
                node.SeenBlocks.TryAdd(proposal.Block.Id, proposal.Block);
                if (node.Role == NodeRole.Equivocator && own && !retransmission) EquivocateProposal(node, proposal);
                else Broadcast(node, new ProposalMessage(proposal.Proposal, proposal.Block));
                break;
            case BroadcastVote vote:
                bool mine = vote.Vote.Validator.AsSpan().SequenceEqual(node.Key.PublicKey);
                if (mine) invariants.Released(node, vote.Vote.Type, vote.Vote.Height, vote.Vote.Round, vote.Vote.Encode());
                if (node.Role == NodeRole.Equivocator && mine && !retransmission) EquivocateVote(node, vote.Vote);
                else Broadcast(node, new VoteMessage(vote.Vote));
                break;
            case ScheduleTimeout timeout:
                int incarnation = node.Incarnation;
                At(now + timeout.DelayMs, () =>
                {
                    if (node.Alive && node.Incarnation == incarnation) Process(node, m => m.OnTimeout(timeout.Step, timeout.Height, timeout.Round, LocalTime(node)));
                });
                break;
            case Decide decision:
                invariants.Decision(node, decision, GenesisTimeMs + now, GenesisTimeMs);
                decidedRound.TryAdd(decision.Height, decision.Round);
                Fingerprint(node, decision);
                node.Chain.Add((decision.Block, decision.Certificate)); // durable before the next height starts
                Enter(node, decision.Height + 1);
                break;
            case ReportEvidence evidence:
                invariants.Evidence(evidence.Evidence, nodes);
                break;
            case RequestBlock request:
                // As ConsensusDriver does: the blocks this incarnation received, else block sync by height from the
                // peers that decided it (a block nobody decided is not served; its lockers keep it in their sign state).
                if (node.SeenBlocks.TryGetValue(request.Id, out ConsensusBlock? stored)) Process(node, m => m.OnBlock(stored, LocalTime(node)));
                else Broadcast(node, new StatusMessage(request.Height));
                break;
        }
    }

    private void Broadcast(SimNode from, SimMessage message)
    {
        foreach (SimNode to in nodes)
        {
            if (to == from) continue;
            if (from.Role == NodeRole.Withholder && !random.Chance(300)) continue;
            Send(from, to, message);
        }
    }

    private void Send(SimNode from, SimNode to, SimMessage message)
    {
        if (!afterGst)
        {
            if (from.Partition != to.Partition || random.Chance(scenario.DropPermille)) return;
            Deliver(to, from, message, random.Between(1, scenario.MaxDelayMs));
            if (random.Chance(scenario.DuplicatePermille)) Deliver(to, from, message, random.Between(1, scenario.MaxDelayMs));
        }
        else
        {
            Deliver(to, from, message, random.Between(1, scenario.GoodDelayMs));
        }
    }

    private void Deliver(SimNode to, SimNode from, SimMessage message, long delayMs) =>
        At(now + delayMs, () => Receive(to, from, message));

    private void Receive(SimNode node, SimNode from, SimMessage message)
    {
        if (!node.Alive) return;
        long local = LocalTime(node);
        switch (message)
        {
            case ProposalMessage proposal:
                node.SeenBlocks.TryAdd(proposal.Block.Id, proposal.Block);
                Process(node, m => m.OnProposal(proposal.Proposal, proposal.Block, local));
                break;
            case VoteMessage vote:
                Process(node, m => m.OnVote(vote.Vote, local));
                break;
            case StatusMessage status:
                if (status.Height <= node.Chain.Count)
                {
                    var (block, certificate) = node.Chain[(int)status.Height - 1];
                    Send(node, from, new CommitMessage(certificate, block));
                }
                break;
            case CommitMessage commit:
                if (commit.Certificate.Height == node.NextHeight) Process(node, m => m.OnCommit(commit.Certificate, commit.Block, local));
                break;
        }
    }

    /// <summary>An equivocating proposer: its real proposal to one half of the peers, a second block to the other half.</summary>
    private void EquivocateProposal(SimNode node, BroadcastProposal proposal)
    {
        SignedProposal real = proposal.Proposal;
        ConsensusBlock other = TestBlocks.Make(real.Height, proposal.Block.TimeMs + 1, 8_000_000_000 + random.Next(1_000_000));
        var forged = SignedProposal.Create(ChainId, real.Height, real.Round, other.Id, real.ValidRound, other.TimeMs, node.Key);
        invariants.Proposed(other, GenesisTimeMs + now);
        node.SeenBlocks.TryAdd(other.Id, other);
        foreach (SimNode to in nodes)
        {
            if (to == node) continue;
            Send(node, to, random.Chance(500) ? new ProposalMessage(real, proposal.Block) : new ProposalMessage(forged, other));
        }
    }

    /// <summary>Double votes: the real vote to some peers, a conflicting one (nil or another block) to the others.</summary>
    private void EquivocateVote(SimNode node, SignedVote vote)
    {
        BlockId? otherId = vote.BlockId is null ? PickSeenBlock(node) : null;
        if (vote.BlockId is null && otherId is null)
        {
            Broadcast(node, new VoteMessage(vote));
            return;
        }
        var conflicting = SignedVote.Create(ChainId, vote.Type, vote.Height, vote.Round, otherId, node.Key);
        foreach (SimNode to in nodes)
        {
            if (to == node) continue;
            Send(node, to, new VoteMessage(random.Chance(500) ? vote : conflicting));
        }
    }

    private BlockId? PickSeenBlock(SimNode node)
    {
        // Deterministic choice: the smallest id seen (the block cache is a hash map, so never iterate its order).
        BlockId? smallest = null;
        foreach (BlockId id in node.SeenBlocks.Keys)
        {
            if (smallest is null || id.CompareTo(smallest) < 0) smallest = id;
        }
        return smallest;
    }
}
