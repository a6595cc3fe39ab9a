using System;
using System.Collections.Generic;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.State;

/// <summary>
/// Every level of an RFC 6962 tree (protocol.md §5) built once, so that many inclusion proofs of one tree cost
/// O(log n) each instead of O(n): what a gateway needs to prove one entry per meter after a block. Built bottom-up,
/// a level's last node without a sibling is carried up unchanged; that is the same tree as RFC 6962's split at the
/// largest power of two below n, so roots and paths equal <see cref="MerkleTree"/>'s (MerkleLevelsTests holds them to it).
/// </summary>
public sealed class MerkleLevels
{
    private readonly List<byte[][]> levels = new();

    /// <param name="leafHashes">The leaves' hashes in tree order, at least one.</param>
    public MerkleLevels(byte[][] leafHashes, IMerkleHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        ArgumentNullException.ThrowIfNull(hasher);
        if (leafHashes.Length == 0) throw new ArgumentException("a tree with leaves is needed for inclusion proofs", nameof(leafHashes));
        byte[][] level = leafHashes;
        levels.Add(level);
        while (level.Length > 1)
        {
            var next = new byte[(level.Length + 1) / 2][];
            for (int i = 0; i < next.Length; i++)
            {
                next[i] = 2 * i + 1 < level.Length ? hasher.NodeHash(level[2 * i], level[2 * i + 1]) : level[2 * i];
            }
            levels.Add(next);
            level = next;
        }
    }

    public int TreeSize => levels[0].Length;

    public byte[] Root => (byte[])levels[^1][0].Clone();

    /// <summary>PATH(index, D[n]): sibling hashes from the leaf's level up, deepest first.</summary>
    public byte[][] InclusionProof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, TreeSize);
        var path = new List<byte[]>();
        for (int l = 0; l < levels.Count - 1; l++)
        {
            int sibling = index ^ 1;
            if (sibling < levels[l].Length) path.Add(levels[l][sibling]);
            index >>= 1;
        }
        return path.ToArray();
    }
}
