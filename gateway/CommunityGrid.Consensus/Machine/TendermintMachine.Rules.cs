using System;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;

namespace CommunityGrid.Consensus.Machine;

/// <summary>The upon-rules of Algorithm 1, evaluated to a fixpoint after every input.</summary>
public sealed partial class TendermintMachine
{
    private bool IsProposer(int round) => selfIndex >= 0 && validators.ProposerIndex(Height, round) == selfIndex;

    /// <summary>Lines 11–21.</summary>
    private void StartRound(int round)
    {
        Round = round;
        Step = Step.Propose;
        RoundState state = RoundAt(round);
        if (IsProposer(round))
        {
            // Line 14–19: re-propose validValue if there is one, else a new block whose time is the
            // local clock, kept after the previous block's time (block time must increase).
            // (After a restart validRound can be known before its block has been fetched again: then propose anew.)
            // A host with nothing to put in a block (the chain has no empty blocks) proposes nothing: the round times
            // out and the next proposer, whose mempool may hold what this one lacks, gets its turn.
            ConsensusBlock? block = ValidBlock ?? rules.CreateBlock(Height, Math.Max(nowMs, previousBlockTimeMs + 1));
            SignedProposal? proposal = block is null ? null : signer.SignProposal(Height, round, block.Id, ValidBlock is null ? -1 : ValidRound, block.TimeMs);
            if (proposal is not null && block is not null)
            {
                blocks.TryAdd(block.Id, block);
                state.Proposal = new ReceivedProposal(proposal, block, parameters.IsTimely(block.TimeMs, nowMs));
                state.Senders[selfIndex] = true;
                outputs.Add(new BroadcastProposal(proposal, block));
            }
        }
        // Line 21 arms timeoutPropose for non-proposers; the proposer arms it too, so that a proposal its
        // signer refused (after a restart) cannot leave it in the propose step for ever.
        Schedule(TimeoutStep.Propose, round);
    }

    /// <summary>After a restart at a height where something was signed: continue from the signer's high-water mark.</summary>
    private void Resume(SignState last)
    {
        Round = last.Round;
        Step = last.Type switch
        {
            MessageType.Proposal => Step.Propose,
            MessageType.Prevote => Step.Prevote,
            _ => Step.Precommit,
        };
        LockedRound = last.LockedRound;
        LockedBlockId = last.LockedBlockId;
        RoundAt(Round);
        if (LockedBlockId is not null)
        {
            // The lock's proof and validValue = the locked block, kept by the signer with the lock: line 42–43 held
            // when it locked. Without the block a restarted locker could never re-propose it, and when every gateway
            // that received it has restarted too, the lockers (prevoting nil on anything else) and the rest stall.
            foreach (byte[] prevote in last.LockProof) ReceiveVote(SignedVote.Decode(prevote));
            ValidRound = LockedRound;
            if (signer.LockedBlock is { } kept && kept.Id.Equals(LockedBlockId))
            {
                blocks.TryAdd(kept.Id, kept);
                AdoptLockedBlock(kept);
            }
            if (ValidBlock is null) outputs.Add(new RequestBlock(Height, LockedBlockId));
        }
        if (Step == Step.Propose) Schedule(TimeoutStep.Propose, Round);
        if (selfIndex < 0) return;
        foreach (SignedVote? vote in new[] { last.EarlierVote, last.LastVote })
        {
            if (vote is null) continue;
            RecordVote(vote, selfIndex);
            outputs.Add(new BroadcastVote(vote));
        }
    }

    private void ReceiveProposal(SignedProposal proposal, ConsensusBlock block)
    {
        int sender = validators.IndexOf(proposal.Proposer);
        if (sender < 0 || sender != validators.ProposerIndex(Height, proposal.Round)) return;
        if (!proposal.BlockId.Equals(block.Id) || proposal.TimeMs != block.TimeMs) return;
        RoundState state = RoundAt(proposal.Round);
        if (state.Proposal is not null) return; // the first proposal of a round counts; a second one is the proposer equivocating
        if (!proposal.VerifySignature(chainId)) return;
        blocks.TryAdd(block.Id, block);
        AdoptLockedBlock(block);
        // PBTS: timeliness is judged against the clock reading at receipt, once.
        state.Proposal = new ReceivedProposal(proposal, block, parameters.IsTimely(proposal.TimeMs, nowMs));
        state.Senders[sender] = true;
    }

    private void ReceiveVote(SignedVote vote)
    {
        int sender = validators.IndexOf(vote.Validator);
        if (sender < 0) return;
        RoundState state = RoundAt(vote.Round);
        VoteTable table = state.Votes(vote.Type);
        if (table.Contains(sender, vote) || !vote.VerifySignature(chainId)) return;
        state.Senders[sender] = true;
        SignedVote? conflicting = table.Add(sender, vote);
        if (conflicting is null) return;
        // Two validly signed votes of one slot for different blocks: evidence, reported once per slot.
        DoubleSignEvidence? evidence = DoubleSignEvidence.TryCreate(conflicting, vote);
        if (evidence is not null && reportedOffences.Add(evidence.OffenceKey)) outputs.Add(new ReportEvidence(evidence));
    }

    private void RecordVote(SignedVote vote, int sender)
    {
        RoundState state = RoundAt(vote.Round);
        state.Votes(vote.Type).Add(sender, vote);
        state.Senders[sender] = true;
    }

    private RoundState RoundAt(int round)
    {
        if (!rounds.TryGetValue(round, out RoundState? state))
        {
            state = new RoundState(validators.Count);
            rounds.Add(round, state);
        }
        return state;
    }

    /// <summary>valid(v), with the block-time rule that time increases, memoised per block.</summary>
    private bool IsValid(ConsensusBlock block)
    {
        if (!validity.TryGetValue(block.Id, out bool valid))
        {
            valid = block.TimeMs > previousBlockTimeMs && rules.IsValid(Height, block);
            validity.Add(block.Id, valid);
        }
        return valid;
    }

    private void Evaluate()
    {
        if (Height == 0) return;
        bool progress = true;
        while (progress && !Decided)
        {
            progress = TryDecide() || TrySkipRound() || TryPrevoteOnProposal() || TryArmPrevoteTimeout()
                || TryLockAndPrecommit() || TryPrecommitNil() || TryArmPrecommitTimeout();
        }
    }

    /// <summary>Lines 22–33.</summary>
    private bool TryPrevoteOnProposal()
    {
        if (Step != Step.Propose || !rounds.TryGetValue(Round, out RoundState? state) || state.Proposal is not { } received) return false;
        BlockId id = received.Block.Id;
        int validRound = received.Proposal.ValidRound;
        if (validRound == -1)
        {
            // Line 22–27 (+ PBTS: a new block must be timely).
            bool acceptable = IsValid(received.Block) && received.Timely && (LockedRound == -1 || id.Equals(LockedBlockId));
            Prevote(acceptable ? id : null);
            return true;
        }
        // Line 28–33: a re-proposal needs 2f+1 prevotes for it in validRound; the lock gives way to a
        // lock from no later than validRound (the unlock rule that keeps liveness).
        if (validRound < Round && rounds.TryGetValue(validRound, out RoundState? earlier)
            && earlier.Prevotes.Count(id) >= validators.Quorum)
        {
            bool acceptable = IsValid(received.Block) && (LockedRound <= validRound || id.Equals(LockedBlockId));
            Prevote(acceptable ? id : null);
            return true;
        }
        return false;
    }

    /// <summary>Line 34–35.</summary>
    private bool TryArmPrevoteTimeout()
    {
        if (Step != Step.Prevote || !rounds.TryGetValue(Round, out RoundState? state) || state.PrevoteTimeoutArmed) return false;
        if (state.Prevotes.CountAny() < validators.Quorum) return false;
        state.PrevoteTimeoutArmed = true;
        Schedule(TimeoutStep.Prevote, Round);
        return true;
    }

    /// <summary>Lines 36–43: lock and precommit in the prevote step; record validValue also later.</summary>
    private bool TryLockAndPrecommit()
    {
        if (Step == Step.Propose || !rounds.TryGetValue(Round, out RoundState? state) || state.LockRuleDone) return false;
        if (state.Proposal is not { } received || state.Prevotes.Count(received.Block.Id) < validators.Quorum) return false;
        if (!IsValid(received.Block)) return false;
        state.LockRuleDone = true;
        if (Step == Step.Prevote)
        {
            LockedBlockId = received.Block.Id; // line 38–39
            LockedRound = Round;
            Precommit(received.Block, LockProof(state, received.Block.Id)); // line 40–41
        }
        ValidBlock = received.Block;           // line 42–43
        ValidRound = Round;
        return true;
    }

    /// <summary>Line 44–46.</summary>
    private bool TryPrecommitNil()
    {
        if (Step != Step.Prevote || !rounds.TryGetValue(Round, out RoundState? state)) return false;
        if (state.Prevotes.Count(null) < validators.Quorum) return false;
        Precommit(null);
        return true;
    }

    /// <summary>Line 47–48.</summary>
    private bool TryArmPrecommitTimeout()
    {
        if (!rounds.TryGetValue(Round, out RoundState? state) || state.PrecommitTimeoutArmed) return false;
        if (state.Precommits.CountAny() < validators.Quorum) return false;
        state.PrecommitTimeoutArmed = true;
        Schedule(TimeoutStep.Precommit, Round);
        return true;
    }

    /// <summary>
    /// Lines 49–54, in ANY round: 2f+1 precommits for id(v) and the block v. The paper asks for the
    /// proposal of that round; the block with that id, from any proposal or fetched by id, is the same value
    /// (the id is its hash), so a node that missed the proposal decides once it has the block.
    /// </summary>
    private bool TryDecide()
    {
        foreach ((int round, RoundState state) in rounds)
        {
            foreach (BlockId id in state.Precommits.BlockIds())
            {
                if (state.Precommits.Count(id) < validators.Quorum) continue;
                if (!blocks.TryGetValue(id, out ConsensusBlock? block))
                {
                    if (requestedBlocks.Add(id)) outputs.Add(new RequestBlock(Height, id));
                    continue;
                }
                if (!IsValid(block)) continue; // 2f+1 precommits for an invalid block: more than f are faulty
                Decided = true;
                outputs.Add(new Decide(Height, round, block, CommitCertificate.FromPrecommits(state.Precommits.For(id))));
                return true;
            }
        }
        return false;
    }

    /// <summary>Line 55–56: f+1 validators already in a later round; jump to the latest such round.</summary>
    private bool TrySkipRound()
    {
        int target = -1;
        foreach ((int round, RoundState state) in rounds)
        {
            if (round > Round && state.SenderCount >= validators.MoreThanOneThird) target = round;
        }
        if (target < 0) return false;
        StartRound(target);
        return true;
    }

    private void Prevote(BlockId? id)
    {
        Step = Step.Prevote;
        if (selfIndex < 0) return; // an observer follows the votes but has none
        SignedVote? vote = signer.SignVote(MessageType.Prevote, Height, Round, id);
        if (vote is not null)
        {
            RecordVote(vote, selfIndex);
            outputs.Add(new BroadcastVote(vote));
        }
    }

    private static SignedVote[] LockProof(RoundState state, BlockId id) => state.Prevotes.For(id).ToArray();

    private void Precommit(ConsensusBlock? block, SignedVote[]? lockProof = null)
    {
        Step = Step.Precommit;
        if (selfIndex < 0) return; // an observer follows the votes but has none
        SignedVote? vote = signer.SignVote(MessageType.Precommit, Height, Round, block?.Id, lockProof, block);
        if (vote is not null)
        {
            RecordVote(vote, selfIndex);
            outputs.Add(new BroadcastVote(vote));
        }
    }

    private void Schedule(TimeoutStep step, int round) =>
        outputs.Add(new ScheduleTimeout(step, Height, round, parameters.TimeoutMs(step, round)));
}
