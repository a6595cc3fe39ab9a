using System;
using System.Collections.Generic;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Signing;

namespace CommunityGrid.Consensus.Machine;

public enum Step
{
    Propose,
    Prevote,
    Precommit,
}

/// <summary>
/// Tendermint, Algorithm 1 of Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus"
/// (arXiv 1807.04938), as a pure state machine: every input returns the outputs it causes; the machine
/// has no clock (the host passes its clock reading with every input), no I/O (its signer persists before
/// releasing) and no randomness. Comments "line N" cite the paper's Algorithm 1.
/// Messages of the next height are buffered until <see cref="StartHeight"/>; older ones are ignored.
/// </summary>
public sealed partial class TendermintMachine
{
    private const int FutureBufferPerValidator = 64;

    private readonly string chainId;
    private readonly ConsensusParameters parameters;
    private readonly IBlockRules rules;
    private readonly IConsensusSigner signer;
    private readonly SortedDictionary<int, RoundState> rounds = new();
    private readonly Dictionary<BlockId, ConsensusBlock> blocks = new();
    private readonly Dictionary<BlockId, bool> validity = new();
    private readonly HashSet<string> reportedOffences = new(StringComparer.Ordinal);
    private readonly HashSet<BlockId> requestedBlocks = new();
    private readonly List<BufferedMessage> nextHeight = new();
    private List<ConsensusOutput> outputs = new();
    private ValidatorSet validators = null!;
    private int selfIndex = -1;
    private long previousBlockTimeMs;
    private long nowMs;

    public TendermintMachine(string chainId, ConsensusParameters parameters, IBlockRules rules, IConsensusSigner signer)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(signer);
        this.chainId = chainId;
        this.parameters = parameters;
        this.rules = rules;
        this.signer = signer;
    }

    public long Height { get; private set; }
    public int Round { get; private set; }
    public Step Step { get; private set; }
    public bool Decided { get; private set; }
    public int LockedRound { get; private set; } = -1;
    public BlockId? LockedBlockId { get; private set; }
    public int ValidRound { get; private set; } = -1;
    public ConsensusBlock? ValidBlock { get; private set; }
    public ValidatorSet Validators => validators;

    /// <summary>
    /// Enters <paramref name="height"/> (line 10 / line 54) with its validator set and the previous
    /// block's time. If the signer already signed at this height (a restart), resumes at that round
    /// and step with the persisted lock and re-sends the last signed vote; else StartRound(0).
    /// </summary>
    public IReadOnlyList<ConsensusOutput> StartHeight(long height, ValidatorSet validatorSet, long previousBlockTime, long now)
    {
        ArgumentNullException.ThrowIfNull(validatorSet);
        if (height < 1 || height <= Height) throw new ArgumentOutOfRangeException(nameof(height), $"height {height} is not after the current height {Height}");
        Begin(now);
        Height = height;
        validators = validatorSet;
        selfIndex = validatorSet.IndexOf(signer.PublicKey);
        previousBlockTimeMs = previousBlockTime;
        rounds.Clear();
        blocks.Clear();
        validity.Clear();
        reportedOffences.Clear();
        requestedBlocks.Clear();
        Decided = false;
        LockedRound = -1;
        LockedBlockId = null;
        ValidRound = -1;
        ValidBlock = null;

        SignState? last = signer.LastSigned;
        if (last is not null && last.Height == height)
        {
            Resume(last);
        }
        else
        {
            StartRound(0);
        }
        ReplayBufferedMessages();
        Evaluate();
        return End();
    }

    /// <summary>A proposal with the block it names (the block travels next to it).</summary>
    public IReadOnlyList<ConsensusOutput> OnProposal(SignedProposal proposal, ConsensusBlock block, long now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(block);
        Begin(now);
        if (Accept(proposal.Height, proposal.Round, null, proposal, block)) ReceiveProposal(proposal, block);
        Evaluate();
        return End();
    }

    public IReadOnlyList<ConsensusOutput> OnVote(SignedVote vote, long now)
    {
        ArgumentNullException.ThrowIfNull(vote);
        Begin(now);
        if (Accept(vote.Height, vote.Round, vote, null, null)) ReceiveVote(vote);
        Evaluate();
        return End();
    }

    /// <summary>Lines 57–67: a timeout armed earlier expired on the host's clock.</summary>
    public IReadOnlyList<ConsensusOutput> OnTimeout(TimeoutStep step, long height, int round, long now)
    {
        Begin(now);
        if (!Decided && height == Height && round == Round)
        {
            if (step == TimeoutStep.Propose && Step == Step.Propose) Prevote(null);              // line 57
            else if (step == TimeoutStep.Prevote && Step == Step.Prevote) Precommit(null);       // line 61
            else if (step == TimeoutStep.Precommit) StartRound(Round + 1);                       // line 65
        }
        Evaluate();
        return End();
    }

    /// <summary>A block fetched by id after <see cref="RequestBlock"/> (or any block gossiped for this height).</summary>
    public IReadOnlyList<ConsensusOutput> OnBlock(ConsensusBlock block, long now)
    {
        ArgumentNullException.ThrowIfNull(block);
        Begin(now);
        if (!Decided && Height > 0)
        {
            blocks.TryAdd(block.Id, block);
            AdoptLockedBlock(block);
        }
        Evaluate();
        return End();
    }

    /// <summary>
    /// Catching up: a verified certificate of the current height and its block decide it directly
    /// (block sync), whatever round this node is in.
    /// </summary>
    public IReadOnlyList<ConsensusOutput> OnCommit(CommitCertificate certificate, ConsensusBlock block, long now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(block);
        Begin(now);
        if (!Decided && Height > 0 && certificate.Height == Height && certificate.BlockId.Equals(block.Id)
            && certificate.Verify(chainId, validators).IsValid && IsValid(block))
        {
            Decided = true;
            outputs.Add(new Decide(Height, certificate.Round, block, certificate));
        }
        return End();
    }

    /// <summary>
    /// This node's own votes of the current round (and the previous round's precommit) and the round's proposal, for the host to
    /// gossip again: messages are not reliably delivered before GST, and the algorithm relies on eventual delivery.
    /// </summary>
    public IReadOnlyList<ConsensusOutput> Retransmissions()
    {
        var again = new List<ConsensusOutput>();
        if (Height == 0 || Decided || selfIndex < 0) return again;
        if (rounds.TryGetValue(Round, out RoundState? current))
        {
            // The round's proposal is relayed by everyone who has it, not only by its proposer (which may have
            // crashed since): a validator that missed it cannot lock or precommit in this round without it.
            if (current.Proposal is { } proposal) again.Add(new BroadcastProposal(proposal.Proposal, proposal.Block));
            if (current.Prevotes.First(selfIndex) is { } prevote) again.Add(new BroadcastVote(prevote));
            if (current.Precommits.First(selfIndex) is { } precommit) again.Add(new BroadcastVote(precommit));
        }
        if (Round > 0 && rounds.TryGetValue(Round - 1, out RoundState? previous) && previous.Precommits.First(selfIndex) is { } last)
        {
            again.Add(new BroadcastVote(last));
        }
        // The proof of validRound (everyone's prevotes for validValue in it), relayed: a re-proposal of
        // validValue is accepted only by validators that hold 2f+1 prevotes of its validRound (line 28), and
        // messages lost before GST would otherwise never reach them.
        if (ValidBlock is not null && ValidRound >= 0 && ValidRound != Round && rounds.TryGetValue(ValidRound, out RoundState? valid))
        {
            foreach (SignedVote prevote in valid.Prevotes.For(ValidBlock.Id)) again.Add(new BroadcastVote(prevote));
        }
        return again;
    }

    /// <summary>After a restart validRound = lockedRound is known before the block: take it when it arrives.</summary>
    private void AdoptLockedBlock(ConsensusBlock block)
    {
        if (ValidBlock is null && ValidRound >= 0 && block.Id.Equals(LockedBlockId) && IsValid(block)) ValidBlock = block;
    }

    private void Begin(long now)
    {
        nowMs = now;
        outputs = new List<ConsensusOutput>();
    }

    private List<ConsensusOutput> End() => outputs;

    /// <summary>Height and round filter; buffers the next height's messages (bounded) until it starts.</summary>
    private bool Accept(long height, int round, SignedVote? vote, SignedProposal? proposal, ConsensusBlock? block)
    {
        if (height == Height + 1)
        {
            if (nextHeight.Count < FutureBufferPerValidator * Math.Max(1, validators?.Count ?? 1))
            {
                nextHeight.Add(new BufferedMessage(vote, proposal, block));
            }
            return false;
        }
        if (Height == 0 || Decided || height != Height) return false;
        return round <= (long)Round + parameters.MaxRoundsAhead;
    }

    private void ReplayBufferedMessages()
    {
        BufferedMessage[] buffered = nextHeight.ToArray();
        nextHeight.Clear();
        foreach (BufferedMessage item in buffered)
        {
            if (item.Vote is { } vote && Accept(vote.Height, vote.Round, vote, null, null)) ReceiveVote(vote);
            if (item.Proposal is { } proposal && Accept(proposal.Height, proposal.Round, null, proposal, item.Block)) ReceiveProposal(proposal, item.Block!);
        }
    }

    private sealed record BufferedMessage(SignedVote? Vote, SignedProposal? Proposal, ConsensusBlock? Block);
}
