namespace CommunityGrid.Consensus.Signing;

/// <summary>
/// Durable storage of the signer's one record. The narrow contract the never-sign-twice guarantee
/// rests on: when <see cref="Save"/> returns, the state survives a crash or power loss; if it throws
/// or the process dies inside it, <see cref="Load"/> afterwards returns either the previous state or
/// the new one, never anything else.
/// </summary>
public interface ISignStateStore
{
    /// <summary>The last saved state, or null before anything was ever signed.</summary>
    SignState? Load();

    void Save(SignState state);

    /// <summary>
    /// Makes the block a precommit is about to lock on durable, before the sign state naming the lock is saved:
    /// after a restart the validator must still be able to re-propose its locked value (line 16 of the paper),
    /// because no other gateway may hold it any more (all that received it may have restarted too).
    /// </summary>
    void SaveLockedBlock(ConsensusBlock block);

    /// <summary>The block saved by <see cref="SaveLockedBlock"/> with this id, or null if it is not (or no longer) kept.</summary>
    ConsensusBlock? LoadLockedBlock(BlockId id);
}
