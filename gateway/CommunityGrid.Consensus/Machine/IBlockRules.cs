namespace CommunityGrid.Consensus.Machine;

/// <summary>
/// What the host (the gateway node, with its chain) supplies to the state machine. Both calls must be
/// deterministic functions of the chain state at the height: no clock, no randomness.
/// </summary>
public interface IBlockRules
{
    /// <summary>
    /// getValue() of the paper (line 18): a new block for <paramref name="height"/> with time
    /// <paramref name="timeMs"/> (the machine passes max(local clock, previous block time + 1)); null when the
    /// host has nothing to propose (then this node sends no proposal in the round and it times out).
    /// </summary>
    ConsensusBlock? CreateBlock(long height, long timeMs);

    /// <summary>
    /// valid(v) of the paper: the chain's block rules for the block at <paramref name="height"/> on top of
    /// the committed chain, including that the bytes hash to <see cref="ConsensusBlock.Id"/> and carry
    /// <see cref="ConsensusBlock.TimeMs"/>. The machine itself adds time &gt; previous block time and, for
    /// new proposals, the timeliness bound.
    /// </summary>
    bool IsValid(long height, ConsensusBlock block);
}
