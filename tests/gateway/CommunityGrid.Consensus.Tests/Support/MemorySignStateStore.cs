using System;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Signing;

namespace CommunityGrid.Consensus.Tests.Support;

/// <summary>
/// The simulator's "disk": the object outlives a simulated crash, so what was saved is what a restarted
/// node loads. <see cref="FailNextSave"/> models a crash inside Save (before the write became durable).
/// </summary>
public sealed class MemorySignStateStore : ISignStateStore
{
    private byte[]? saved;
    private readonly System.Collections.Generic.Dictionary<BlockId, ConsensusBlock> lockedBlocks = new();

    public bool FailNextSave { get; set; }

    public int Saves { get; private set; }

    public SignState? Load() => saved is null ? null : SignState.Decode(saved);

    public void Save(SignState state)
    {
        if (FailNextSave)
        {
            FailNextSave = false;
            throw new SimulatedCrashException("crash before the sign state became durable");
        }
        saved = state.Encode();
        Saves++;
        // As the file store: only the block of the lock now held is kept.
        foreach (BlockId id in new System.Collections.Generic.List<BlockId>(lockedBlocks.Keys))
        {
            if (!id.Equals(state.LockedBlockId)) lockedBlocks.Remove(id);
        }
    }

    public void SaveLockedBlock(ConsensusBlock block) => lockedBlocks[block.Id] = block;

    public ConsensusBlock? LoadLockedBlock(BlockId id) => lockedBlocks.TryGetValue(id, out ConsensusBlock? block) ? block : null;

    /// <summary>Models a disk that lost the locked block (or a sign state written by a build that did not keep it).</summary>
    public void ForgetLockedBlocks() => lockedBlocks.Clear();
}

public sealed class SimulatedCrashException(string message) : Exception(message);
