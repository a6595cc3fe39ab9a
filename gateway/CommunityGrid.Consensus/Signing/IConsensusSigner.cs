using System.Collections.Generic;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// Signs for the state machine. Returns null when signing would conflict with something already
/// signed (an earlier slot, or the same slot with other contents); the machine then sends nothing.
/// A message returned has been made durable first.
/// </summary>
public interface IConsensusSigner
{
    byte[] PublicKey { get; }

    /// <summary>What was signed last (the restart point), or null.</summary>
    SignState? LastSigned { get; }

    SignedProposal? SignProposal(long height, int round, BlockId blockId, int validRound, long timeMs);

    /// <summary>The block <see cref="LastSigned"/> is locked on, kept durably with the lock; null if none or it was lost.</summary>
    ConsensusBlock? LockedBlock { get; }

    /// <param name="lockProof">for a precommit for a block: the 2f+1 prevotes that justify the lock, kept with it.</param>
    /// <param name="lockedBlock">for a precommit for a block: that block, made durable before the precommit is.</param>
    SignedVote? SignVote(MessageType type, long height, int round, BlockId? blockId, IReadOnlyList<SignedVote>? lockProof = null, ConsensusBlock? lockedBlock = null);
}
