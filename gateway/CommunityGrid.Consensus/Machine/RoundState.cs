using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Machine;

/// <summary>The messages received for one round of the current height, indexed by validator (no hash-order iteration).</summary>
internal sealed class RoundState
{
    public RoundState(int validators)
    {
        Prevotes = new VoteTable(validators);
        Precommits = new VoteTable(validators);
        Senders = new bool[validators];
    }

    public VoteTable Prevotes { get; }
    public VoteTable Precommits { get; }

    /// <summary>Validators from which any message of this round arrived (line 55, round skip).</summary>
    public bool[] Senders { get; }

    public ReceivedProposal? Proposal { get; set; }

    /// <summary>"for the first time" guards of lines 34, 36 and 47.</summary>
    public bool PrevoteTimeoutArmed { get; set; }
    public bool LockRuleDone { get; set; }
    public bool PrecommitTimeoutArmed { get; set; }

    public VoteTable Votes(MessageType type) => type == MessageType.Prevote ? Prevotes : Precommits;

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
