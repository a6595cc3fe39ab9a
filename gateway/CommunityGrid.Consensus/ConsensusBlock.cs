using System;

namespace CommunityGrid.Consensus;

/// <summary>
/// The value the gateways agree on: an opaque block (the chain's encoded block) with its id and its
/// time. The host builds it from the bytes (id = header hash, time = header time); the consensus
/// never looks inside the bytes and relies on <see cref="IBlockRules.IsValid"/> to check that id and
/// time are the ones the bytes carry.
/// </summary>
public sealed class ConsensusBlock
{
    public ConsensusBlock(BlockId id, long timeMs, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(bytes);
        Id = id;
        TimeMs = timeMs;
        Bytes = bytes;
    }

    public BlockId Id { get; }

    /// <summary>Block time, Unix milliseconds: consensus input, because intervals close by block time.</summary>
    public long TimeMs { get; }

    public byte[] Bytes { get; }
}
