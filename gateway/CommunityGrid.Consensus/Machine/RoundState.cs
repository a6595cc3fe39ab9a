using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Machine;

/// <summary>The messages received for one round of the current height, indexed by validator (no hash-order iteration).</summary>
internal sealed class RoundState
{
    public RoundState(int validators)
    {
        Prevotes = new SignedVote?[validators];
        Precommits = new SignedVote?[validators];
        Senders = new bool[validators];
    }

    public SignedVote?[] Prevotes { get; }
    public SignedVote?[] Precommits { get; }

    /// <summary>Validators from which any message of this round arrived (line 55, round skip).</summary>
    public bool[] Senders { get; }

    public ReceivedProposal? Proposal { get; set; }

    /// <summary>"for the first time" guards of lines 34, 36 and 47.</summary>
    public bool PrevoteTimeoutArmed { get; set; }
    public bool LockRuleDone { get; set; }
    public bool PrecommitTimeoutArmed { get; set; }

    public SignedVote?[] Votes(MessageType type) => type == MessageType.Prevote ? Prevotes : Precommits;

    public static int Count(SignedVote?[] votes, BlockId? id)
    {
        int count = 0;
        foreach (SignedVote? vote in votes)
        {
            if (vote is not null && BlockId.SameOrBothNil(vote.BlockId, id)) count++;
        }
        return count;
    }

    public static int CountAny(SignedVote?[] votes)
    {
        int count = 0;
        foreach (SignedVote? vote in votes)
        {
            if (vote is not null) count++;
        }
        return count;
    }

    public int SenderCount
    {
        get
        {
            int count = 0;
            foreach (bool sent in Senders)
            {
                if (sent) count++;
            }
            return count;
        }
    }
}

/// <summary>A proposal from proposer(h, r) with its block; timely is judged once, against the clock reading at receipt.</summary>
internal sealed record ReceivedProposal(SignedProposal Proposal, ConsensusBlock Block, bool Timely);
