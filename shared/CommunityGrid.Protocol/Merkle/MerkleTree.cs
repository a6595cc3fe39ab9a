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
    public static class MerkleTree
    {
        private static readonly byte[] LeafPrefix = new byte[] { 0x00 };
        private static readonly byte[] NodePrefix = new byte[] { 0x01 };

        public static byte[] LeafHash(byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            Sha256 sha = new Sha256();
            sha.Append(LeafPrefix);
            sha.Append(data);
            return sha.Finish();
        }

        public static byte[] NodeHash(byte[] left, byte[] right)
        {
            ArgumentNullException.ThrowIfNull(left);
            ArgumentNullException.ThrowIfNull(right);
            Sha256 sha = new Sha256();
            sha.Append(NodePrefix);
            sha.Append(left);
            sha.Append(right);
            return sha.Finish();
        }

        /// <summary>MTH(D[n]) of RFC 9162 §2.1.1.</summary>
        public static byte[] Root(byte[][] leaves)
        {
            CheckLeaves(leaves);
            if (leaves.Length == 0) return Sha256.Hash(new byte[0]);
            return SubtreeRoot(leaves, 0, leaves.Length);
        }

        /// <summary>PATH(m, D[n]) of RFC 9162 §2.1.3.1: sibling hashes from the leaf's level up to the root's children.</summary>
        public static byte[][] InclusionProof(byte[][] leaves, int index)
        {
            CheckLeaves(leaves);
            if (index < 0 || index >= leaves.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(index), "leaf index " + index + " is outside a tree of " + leaves.Length + " leaves");
            }
            ArrayList path = new ArrayList();
            AppendPath(leaves, index, 0, leaves.Length, path);
            byte[][] result = new byte[path.Count][];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte[])path[i]!;
            }
            return result;
        }

        /// <summary>RFC 9162 §2.1.3.2: whether <paramref name="proof"/> shows <paramref name="leafData"/> at <paramref name="index"/> in the tree of <paramref name="treeSize"/> leaves with <paramref name="root"/>.</summary>
        public static bool VerifyInclusion(byte[] leafData, int index, int treeSize, byte[][] proof, byte[] root)
        {
            ArgumentNullException.ThrowIfNull(leafData);
            ArgumentNullException.ThrowIfNull(proof);
            ArgumentNullException.ThrowIfNull(root);
            if (index < 0 || index >= treeSize) return false;
            long fn = index;
            long sn = treeSize - 1;
            byte[] r = LeafHash(leafData);
            for (int i = 0; i < proof.Length; i++)
            {
                byte[] p = proof[i];
                if (p == null || p.Length != Sha256.HashSize || sn == 0) return false;
                if ((fn & 1) == 1 || fn == sn)
                {
                    r = NodeHash(p, r);
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
                else
                {
                    r = NodeHash(r, p);
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

        private static byte[] SubtreeRoot(byte[][] leaves, int start, int count)
        {
            if (count == 1) return LeafHash(leaves[start]);
            int k = SplitPoint(count);
            return NodeHash(SubtreeRoot(leaves, start, k), SubtreeRoot(leaves, start + k, count - k));
        }

        private static void AppendPath(byte[][] leaves, int index, int start, int count, ArrayList path)
        {
            if (count == 1) return;
            int k = SplitPoint(count);
            if (index < k)
            {
                AppendPath(leaves, index, start, k, path);
                path.Add(SubtreeRoot(leaves, start + k, count - k));
            }
            else
            {
                AppendPath(leaves, index - k, start + k, count - k, path);
                path.Add(SubtreeRoot(leaves, start, k));
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
    }
}
