using System;
using System.Collections.Generic;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// The only holder of a validator's consensus key. Signs only upwards in (height, round, type),
/// persists the new high-water mark through <see cref="ISignStateStore"/> BEFORE handing the message
/// out, and answers a repeated request for the same slot and contents with the same bytes (Ed25519 is
/// deterministic), so a restarted gateway re-sends what it sent or nothing.
/// </summary>
public sealed class GuardedSigner : IConsensusSigner
{
    private readonly string chainId;
    private readonly Ed25519Signer key;
    private readonly ISignStateStore store;

    public GuardedSigner(string chainId, Ed25519Signer key, ISignStateStore store)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(store);
        this.chainId = chainId;
        this.key = key;
        this.store = store;
        LastSigned = store.Load();
        LockedBlock = LastSigned?.LockedBlockId is { } locked ? store.LoadLockedBlock(locked) : null;
    }

    public ConsensusBlock? LockedBlock { get; private set; }

    public byte[] PublicKey => key.PublicKey;

    public SignState? LastSigned { get; private set; }

    public SignedProposal? SignProposal(long height, int round, BlockId blockId, int validRound, long timeMs)
    {
        SignedProposal proposal = SignedProposal.Create(chainId, height, round, blockId, validRound, timeMs, key);
        byte[]? released = Release(height, round, MessageType.Proposal, proposal.Encode(), null, null);
        return released is null ? null : proposal;
    }

    public SignedVote? SignVote(MessageType type, long height, int round, BlockId? blockId, IReadOnlyList<SignedVote>? lockProof = null, ConsensusBlock? lockedBlock = null)
    {
        SignedVote vote = SignedVote.Create(chainId, type, height, round, blockId, key);
        BlockId? lockOn = type == MessageType.Precommit ? blockId : null;
        if (lockOn is not null && (lockedBlock is null || !lockedBlock.Id.Equals(lockOn)))
        {
            throw new ArgumentException("a precommit for a block locks on it: pass that block so that it is kept with the lock", nameof(lockedBlock));
        }
        byte[]? released = Release(height, round, type, vote.Encode(), lockOn, lockProof, lockedBlock);
        return released is null ? null : vote;
    }

    private byte[]? Release(long height, int round, MessageType type, byte[] message, BlockId? lockOn, IReadOnlyList<SignedVote>? lockProof, ConsensusBlock? lockedBlock = null)
    {
        SignState? last = LastSigned;
        if (last is not null)
        {
            int order = last.CompareSlot(height, round, type);
            if (order > 0) return null;
            if (order == 0) return last.Message.AsSpan().SequenceEqual(message) ? last.Message : null;
        }
        bool sameHeight = last is not null && last.Height == height;
        int lockedRound = sameHeight ? last!.LockedRound : -1;
        BlockId? lockedBlockId = sameHeight ? last!.LockedBlockId : null;
        IReadOnlyList<byte[]> proof = sameHeight ? last!.LockProof : Array.Empty<byte[]>();
        if (lockOn is not null)
        {
            lockedRound = round;
            lockedBlockId = lockOn;
            var encoded = new List<byte[]>();
            foreach (SignedVote prevote in lockProof ?? Array.Empty<SignedVote>()) encoded.Add(prevote.Encode());
            proof = encoded;
        }
        byte[]? earlierInRound = sameHeight && last!.Round == round ? last.Message : null;
        var next = new SignState(height, round, type, message, lockedRound, lockedBlockId, earlierInRound, proof);
        // The block first: a sign state naming a lock whose block was not kept would leave this validator unable to
        // re-propose it, and the others (all of which may have restarted since) unable to unlock (a stall, not a fork).
        ConsensusBlock? keptBlock = lockOn is not null ? lockedBlock : sameHeight && BlockId.SameOrBothNil(lockedBlockId, LockedBlock?.Id) ? LockedBlock : null;
        if (lockOn is not null && !lockOn.Equals(LockedBlock?.Id)) store.SaveLockedBlock(lockedBlock!);
        store.Save(next);
        LastSigned = next;
        LockedBlock = keptBlock;
        return message;
    }
}
