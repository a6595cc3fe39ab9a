using System;
using System.Collections;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Protocol.Merkle
{
    /// <summary>
    /// RFC 6962 / RFC 9162 §2.1 Merkle tree over SHA-256. Leaves and interior nodes are hashed with different
    /// one-byte prefixes (0x00, 0x01) so a leaf can never be passed off as a node (second-preimage resistance).
    /// The tree splits at the largest power of two below n, so it is defined for every size, and the
    /// empty tree's root is SHA-256 of the empty string.
    /// </summary>
    /// <remarks>
    /// Methods without an <see cref="IMerkleHasher"/> use the portable SHA-256. The overloads taking one give the
    /// same bytes with the caller's SHA-256; the ones over leaf hashes let a caller that keeps leaf hashes skip
    /// rehashing unchanged leaves.
    /// </remarks>
    public static class MerkleTree
    {
        public static byte[] LeafHash(byte[] data) => PortableMerkleHasher.Instance.LeafHash(data);

        public static byte[] NodeHash(byte[] left, byte[] right) => PortableMerkleHasher.Instance.NodeHash(left, right);

        /// <summary>MTH(D[n]) of RFC 9162 §2.1.1.</summary>
        public static byte[] Root(byte[][] leaves) => Root(leaves, PortableMerkleHasher.Instance);

        public static byte[] Root(byte[][] leaves, IMerkleHasher hasher)
        {
            CheckLeaves(leaves);
            ArgumentNullException.ThrowIfNull(hasher);
            return RootOfLeafHashes(LeafHashes(leaves, hasher), hasher);
        }

        /// <summary>MTH(D[n]) from the leaves' hashes (<see cref="IMerkleHasher.LeafHash"/> of each leaf, in order).</summary>
        public static byte[] RootOfLeafHashes(byte[][] leafHashes, IMerkleHasher hasher)
        {
            CheckLeafHashes(leafHashes);
            ArgumentNullException.ThrowIfNull(hasher);
            // The empty tree has no leaf or node to hash; its root is a constant, whichever SHA-256 computes it.
            if (leafHashes.Length == 0) return Sha256.Hash(new byte[0]);
            return DetachedSubtreeRoot(leafHashes, 0, leafHashes.Length, hasher);
        }

        /// <summary>PATH(m, D[n]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf's level up to the root's children.</summary>
        public static byte[][] InclusionProof(byte[][] leaves, int index) => InclusionProof(leaves, index, PortableMerkleHasher.Instance);

        public static byte[][] InclusionProof(byte[][] leaves, int index, IMerkleHasher hasher)
        {
            CheckLeaves(leaves);
            CheckIndex(index, leaves.Length);
            ArgumentNullException.ThrowIfNull(hasher);
            return InclusionProofOfLeafHashes(LeafHashes(leaves, hasher), index, hasher);
        }

        /// <summary>PATH(m, D[n]) from the leaves' hashes.</summary>
        public static byte[][] InclusionProofOfLeafHashes(byte[][] leafHashes, int index, IMerkleHasher hasher)
        {
            CheckLeafHashes(leafHashes);
            CheckIndex(index, leafHashes.Length);
            ArgumentNullException.ThrowIfNull(hasher);
            ArrayList path = new ArrayList();
            AppendPath(leafHashes, index, 0, leafHashes.Length, path, hasher);
            byte[][] result = new byte[path.Count][];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte[])path[i]!;
            }
            return result;
        }

        /// <summary>RFC 9162 §2.1.3.2: whether <paramref name="proof"/> shows <paramref name="leafData"/> at <paramref name="index"/> in the tree of <paramref name="treeSize"/> leaves with <paramref name="root"/>.</summary>
        public static bool VerifyInclusion(byte[] leafData, int index, int treeSize, byte[][] proof, byte[] root) =>
            VerifyInclusion(leafData, index, treeSize, proof, root, PortableMerkleHasher.Instance);

        public static bool VerifyInclusion(byte[] leafData, int index, int treeSize, byte[][] proof, byte[] root, IMerkleHasher hasher)
        {
            ArgumentNullException.ThrowIfNull(leafData);
            ArgumentNullException.ThrowIfNull(proof);
            ArgumentNullException.ThrowIfNull(root);
            ArgumentNullException.ThrowIfNull(hasher);
            if (index < 0 || index >= treeSize) return false;
            long fn = index;
            long sn = treeSize - 1;
            byte[] r = hasher.LeafHash(leafData);
            for (int i = 0; i < proof.Length; i++)
            {
                byte[] p = proof[i];
                if (p == null || p.Length != Sha256.HashSize || sn == 0) return false;
                if ((fn & 1) == 1 || fn == sn)
                {
                    r = hasher.NodeHash(p, r);
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
                else
                {
                    r = hasher.NodeHash(r, p);
                }
                fn >>= 1;
                sn >>= 1;
            }
            return sn == 0 && ByteArrays.AreEqual(r, root);
        }

        /// <summary>The largest power of two strictly less than <paramref name="n"/> (n ≥ 2).</summary>
        public static int SplitPoint(int n)
        {
            int k = 1;
            while (k << 1 < n) k <<= 1;
            return k;
        }

        private static byte[][] LeafHashes(byte[][] leaves, IMerkleHasher hasher)
        {
            byte[][] hashes = new byte[leaves.Length][];
            for (int i = 0; i < leaves.Length; i++)
            {
                hashes[i] = hasher.LeafHash(leaves[i]);
            }
            return hashes;
        }

        private static byte[] SubtreeRoot(byte[][] leafHashes, int start, int count, IMerkleHasher hasher)
        {
            if (count == 1) return leafHashes[start];
            int k = SplitPoint(count);
            return hasher.NodeHash(SubtreeRoot(leafHashes, start, k, hasher), SubtreeRoot(leafHashes, start + k, count - k, hasher));
        }

        private static void AppendPath(byte[][] leafHashes, int index, int start, int count, ArrayList path, IMerkleHasher hasher)
        {
            if (count == 1) return;
            int k = SplitPoint(count);
            if (index < k)
            {
                AppendPath(leafHashes, index, start, k, path, hasher);
                path.Add(DetachedSubtreeRoot(leafHashes, start + k, count - k, hasher));
            }
            else
            {
                AppendPath(leafHashes, index - k, start + k, count - k, path, hasher);
                path.Add(DetachedSubtreeRoot(leafHashes, start, k, hasher));
            }
        }

        /// <summary>A one-leaf subtree's root is the caller's own leaf hash; results get a copy so they never alias the caller's array.</summary>
        private static byte[] DetachedSubtreeRoot(byte[][] leafHashes, int start, int count, IMerkleHasher hasher)
        {
            if (count == 1) return ByteArrays.Slice(leafHashes[start], 0, leafHashes[start].Length);
            return SubtreeRoot(leafHashes, start, count, hasher);
        }

        private static void CheckIndex(int index, int count)
        {
            if (index < 0 || index >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), "leaf index " + index + " is outside a tree of " + count + " leaves");
            }
        }

        private static void CheckLeaves(byte[][] leaves)
        {
            ArgumentNullException.ThrowIfNull(leaves);
            for (int i = 0; i < leaves.Length; i++)
            {
                if (leaves[i] == null) throw new ArgumentException("leaf " + i + " is null; a leaf may be empty but not null", nameof(leaves));
            }
        }

        private static void CheckLeafHashes(byte[][] leafHashes)
        {
            ArgumentNullException.ThrowIfNull(leafHashes);
            for (int i = 0; i < leafHashes.Length; i++)
            {
                byte[] hash = leafHashes[i];
                if (hash == null || hash.Length != Sha256.HashSize)
                {
                    throw new ArgumentException("leaf hash " + i + " is not a " + Sha256.HashSize + "-byte hash", nameof(leafHashes));
                }
            }
        }
    }
}
