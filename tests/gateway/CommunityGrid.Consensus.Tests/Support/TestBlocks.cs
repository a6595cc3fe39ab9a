using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Machine;

namespace CommunityGrid.Consensus.Tests.Support;

/// <summary>
/// Stand-in for the chain's blocks: bytes = height (8) | time (8) | author tag (8) | validity flag (1),
/// id = SHA-256 of the bytes. Valid when id and time match the bytes, the height is the one asked for and
/// the flag is 1, so a test can make a block that the rules reject.
/// </summary>
public sealed class TestBlocks : IBlockRules
{
    private readonly long author;

    public TestBlocks(long author) => this.author = author;

    public int Created { get; private set; }

    public ConsensusBlock CreateBlock(long height, long timeMs)
    {
        Created++;
        return Make(height, timeMs, author * 1_000_000 + Created);
    }

    public bool IsValid(long height, ConsensusBlock block) => IsWellFormed(height, block);

    public static bool IsWellFormed(long height, ConsensusBlock block)
    {
        byte[] bytes = block.Bytes;
        if (bytes.Length != 25 || !SHA256.HashData(bytes).AsSpan().SequenceEqual(block.Id.Bytes)) return false;
        return BinaryPrimitives.ReadInt64BigEndian(bytes) == height
            && BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)) == block.TimeMs
            && bytes[24] == 1;
    }

    public static ConsensusBlock Make(long height, long timeMs, long tag, bool valid = true)
    {
        var bytes = new byte[25];
        BinaryPrimitives.WriteInt64BigEndian(bytes, height);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), timeMs);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(16), tag);
        bytes[24] = valid ? (byte)1 : (byte)0;
        return new ConsensusBlock(new BlockId(SHA256.HashData(bytes)), timeMs, bytes);
    }

    /// <summary>For signer tests: a block with this id (opaque bytes; the signer never looks inside), null for nil.</summary>
    public static ConsensusBlock? Locked(BlockId? id) => id is null ? null : new ConsensusBlock(id, 77, id.ToArray());

    public static long TagOf(ConsensusBlock block) => BinaryPrimitives.ReadInt64BigEndian(block.Bytes.AsSpan(16));
}
