using System.Collections.Generic;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Machine;

/// <summary>
/// The prevotes or precommits of one round, by validator index. A validator's first vote is its vote;
/// a validly signed conflicting vote is kept too (up to <see cref="MaxVotesPerValidator"/>) and counts
/// for its own block: an equivocator could as well have sent each vote to different validators, so
/// counting each signer at most once per block id keeps every 2f+1 threshold sound, and it stops a double
/// voter from hiding a quorum (a proof-of-lock) from the validators that saw its other vote first
/// (CometBFT's vote sets do the same for blocks a peer claims +2/3 for).
/// </summary>
internal sealed class VoteTable
{
    public const int MaxVotesPerValidator = 4;
    private readonly List<SignedVote>?[] votes;

    public VoteTable(int validators) => votes = new List<SignedVote>?[validators];

    /// <summary>The validator's first vote: what it voted, for its own retransmission and round-skip counting.</summary>
    public SignedVote? First(int validator) => votes[validator] is { Count: > 0 } list ? list[0] : null;

    public bool Contains(int validator, SignedVote vote)
    {
        if (votes[validator] is not { } list) return false;
        foreach (SignedVote known in list)
        {
            if (known.SameContent(vote)) return true;
        }
        return false;
    }

    /// <summary>Adds a verified vote; returns the first vote when this one conflicts with it (evidence), else null.</summary>
    public SignedVote? Add(int validator, SignedVote vote)
    {
        List<SignedVote> list = votes[validator] ??= new List<SignedVote>(1);
        foreach (SignedVote known in list)
        {
            if (BlockId.SameOrBothNil(known.BlockId, vote.BlockId)) return null;
        }
        if (list.Count < MaxVotesPerValidator) list.Add(vote);
        return list.Count > 1 || list[0] != vote ? list[0] : null;
    }

    /// <summary>Validators with a vote for <paramref name="id"/> (nil when null).</summary>
    public int Count(BlockId? id)
    {
        int count = 0;
        foreach (List<SignedVote>? list in votes)
        {
            if (list is null) continue;
            foreach (SignedVote vote in list)
            {
                if (BlockId.SameOrBothNil(vote.BlockId, id))
                {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    /// <summary>Validators with any vote ("2f+1 of anything").</summary>
    public int CountAny()
    {
        int count = 0;
        foreach (List<SignedVote>? list in votes)
        {
            if (list is { Count: > 0 }) count++;
        }
        return count;
    }

    /// <summary>Every validator's vote for <paramref name="id"/>, in validator order.</summary>
    public List<SignedVote> For(BlockId id)
    {
        var found = new List<SignedVote>();
        foreach (List<SignedVote>? list in votes)
        {
            if (list is null) continue;
            foreach (SignedVote vote in list)
            {
                if (id.Equals(vote.BlockId))
                {
                    found.Add(vote);
                    break;
                }
            }
        }
        return found;
    }

    /// <summary>The distinct non-nil block ids voted for, in validator order (deterministic).</summary>
    public List<BlockId> BlockIds()
    {
        var ids = new List<BlockId>();
        foreach (List<SignedVote>? list in votes)
        {
            if (list is null) continue;
            foreach (SignedVote vote in list)
            {
                if (vote.BlockId is { } id && !ids.Contains(id)) ids.Add(id);
            }
        }
        return ids;
    }
}
