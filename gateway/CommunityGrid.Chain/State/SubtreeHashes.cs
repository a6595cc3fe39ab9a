using System;
using System.Collections.Generic;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The roots of every complete (power-of-two, aligned) subtree of an RFC 6962 tree over given leaf hashes. RFC
/// 6962 splits a tree of n leaves at the largest power of two below n, so every subtree it is made of starts at a
/// multiple of its size: the root is the right fold of the complete subtrees n's binary digits name (the peaks),
/// and a changed leaf changes one complete subtree per level. A block that changes k leaves costs at most
/// k·log2(n) node hashes plus the fold, however large the tree.
/// </summary>
internal sealed class SubtreeHashes
{
    // nodes[l][j]: the root of the 2^l leaves starting at leaf j·2^l; nodes[0] holds the leaf hashes.
    private readonly List<List<byte[]>> nodes = [[]];
    private byte[] root;

    private SubtreeHashes(byte[][] leafHashes)
    {
        nodes[0].AddRange(leafHashes);
        for (int level = 1; leafHashes.Length >> level > 0; level++)
        {
            List<byte[]> below = nodes[level - 1];
            var row = new List<byte[]>(leafHashes.Length >> level);
            for (int j = 0; j < leafHashes.Length >> level; j++) row.Add(Hasher.NodeHash(below[2 * j], below[2 * j + 1]));
            nodes.Add(row);
        }
        root = FoldPeaks(leafHashes.Length, (level, index) => nodes[level][index]);
    }

    private static IMerkleHasher Hasher => BclMerkleHasher.Instance;

    public static SubtreeHashes Build(byte[][] leafHashes) => new(leafHashes);

    public int Size => nodes[0].Count;

    public byte[] Root => (byte[])root.Clone();

    /// <summary>
    /// The nodes and root of the tree resized to <paramref name="size"/> with the given leaves replaced; the tree
    /// itself is unchanged until <see cref="Commit"/>. Every leaf at or past the current size must be among them.
    /// </summary>
    /// <param name="slots">ascending, distinct leaf positions; those at or past <paramref name="size"/> are dropped with the tree's end.</param>
    public SubtreeUpdate Prepare(int size, int[] slots, byte[][] leafHashes)
    {
        var overlay = new List<Dictionary<int, byte[]>> { new() };
        var dirty = new List<int>(slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            if (slots[i] >= size) continue;
            overlay[0][slots[i]] = leafHashes[i];
            dirty.Add(slots[i]);
        }
        for (int s = Size; s < size; s++)
        {
            if (!overlay[0].ContainsKey(s)) throw new ArgumentException($"leaf {s} is new in a tree of {size} leaves but has no hash", nameof(slots));
        }
        byte[] Node(int level, int index) =>
            level < overlay.Count && overlay[level].TryGetValue(index, out byte[]? changed) ? changed : nodes[level][index];
        for (int level = 1; size >> level > 0; level++)
        {
            var above = new Dictionary<int, byte[]>();
            var parents = new List<int>(dirty.Count);
            foreach (int child in dirty)
            {
                int parent = child >> 1;
                // dirty is ascending, so a parent shared by two children comes twice in a row.
                if (parent >= size >> level || parents.Count > 0 && parents[^1] == parent) continue;
                parents.Add(parent);
            }
            overlay.Add(above);
            foreach (int parent in parents) above[parent] = Hasher.NodeHash(Node(level - 1, 2 * parent), Node(level - 1, 2 * parent + 1));
            dirty = parents;
        }
        return new SubtreeUpdate(size, overlay, FoldPeaks(size, Node));
    }

    public void Commit(SubtreeUpdate update)
    {
        int levels = Math.Max(nodes.Count, update.Nodes.Count);
        for (int level = 0; level < levels; level++)
        {
            if (level == nodes.Count) nodes.Add([]);
            List<byte[]> row = nodes[level];
            int count = update.Size >> level;
            if (row.Count > count) row.RemoveRange(count, row.Count - count);
            while (row.Count < count) row.Add(null!);
            if (level < update.Nodes.Count) foreach ((int index, byte[] hash) in update.Nodes[level]) row[index] = hash;
        }
        while (nodes.Count > 1 && nodes[^1].Count == 0) nodes.RemoveAt(nodes.Count - 1);
        root = update.Root;
    }

    /// <summary>PATH(m, D[n]) of RFC 9162 §2.1.3.1 for leaf <paramref name="index"/>: sibling hashes, deepest first.</summary>
    public byte[][] InclusionPath(int index)
    {
        var path = new List<byte[]>();
        AppendPath(index, 0, Size, path);
        return path.ToArray();
    }

    private void AppendPath(int index, int start, int count, List<byte[]> path)
    {
        if (count == 1) return;
        int k = MerkleTree.SplitPoint(count);
        if (index < start + k)
        {
            AppendPath(index, start, k, path);
            path.Add(SubtreeRoot(start + k, count - k));
        }
        else
        {
            AppendPath(index, start + k, count - k, path);
            path.Add(SubtreeRoot(start, k));
        }
    }

    /// <summary>MTH of the <paramref name="count"/> leaves from <paramref name="start"/>, a subtree RFC 6962's recursion reaches (so a complete one is aligned).</summary>
    private byte[] SubtreeRoot(int start, int count)
    {
        if ((count & (count - 1)) == 0)
        {
            int level = System.Numerics.BitOperations.Log2((uint)count);
            return (byte[])nodes[level][start >> level].Clone();
        }
        int k = MerkleTree.SplitPoint(count);
        return Hasher.NodeHash(SubtreeRoot(start, k), SubtreeRoot(start + k, count - k));
    }

    /// <summary>MTH(D[size]) from the complete subtrees size's binary digits name, largest (leftmost) first, folded from the right.</summary>
    private static byte[] FoldPeaks(int size, Func<int, int, byte[]> node)
    {
        // The empty tree has no node to hash: RFC 6962 defines its root as SHA-256 of the empty string.
        if (size == 0) return System.Security.Cryptography.SHA256.HashData(ReadOnlySpan<byte>.Empty);
        var peaks = new List<byte[]>();
        int start = 0;
        for (int level = 30; level >= 0; level--)
        {
            if ((size >> level & 1) == 0) continue;
            peaks.Add(node(level, start >> level));
            start += 1 << level;
        }
        byte[] folded = peaks[^1];
        for (int i = peaks.Count - 2; i >= 0; i--) folded = Hasher.NodeHash(peaks[i], folded);
        return (byte[])folded.Clone();
    }
}

/// <summary>What <see cref="SubtreeHashes.Prepare"/> computed: the new size, the changed nodes per level and the root.</summary>
internal sealed record SubtreeUpdate(int Size, IReadOnlyList<Dictionary<int, byte[]>> Nodes, byte[] Root);
