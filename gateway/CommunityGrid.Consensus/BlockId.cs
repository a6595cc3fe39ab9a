using System;

namespace CommunityGrid.Consensus;

/// <summary>
/// The 32-byte id of a proposed block (the chain's header hash). Compared bytewise so that every
/// ordering the consensus makes (certificates, evidence) is independent of the runtime.
/// </summary>
public sealed class BlockId : IEquatable<BlockId>, IComparable<BlockId>
{
    public const int Size = 32;
    private readonly byte[] bytes;

    public BlockId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a block id is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }
        this.bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    public byte[] ToArray() => (byte[])bytes.Clone();

    public bool Equals(BlockId? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => Equals(obj as BlockId);

    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    public int CompareTo(BlockId? other) => other is null ? 1 : bytes.AsSpan().SequenceCompareTo(other.bytes);

    /// <summary>Nil (no block) sorts first; used wherever a vote's block id is ordered.</summary>
    public static int Compare(BlockId? a, BlockId? b) => a is null ? (b is null ? 0 : -1) : a.CompareTo(b);

    public static bool SameOrBothNil(BlockId? a, BlockId? b) => a is null ? b is null : a.Equals(b);

    public override string ToString() => Convert.ToHexStringLower(bytes);

    public string Short => Convert.ToHexStringLower(bytes, 0, 4);
}
