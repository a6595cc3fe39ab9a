using System;
using System.Security.Cryptography;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Protocol.Tests.Merkle
{
    public class MerkleTreeTests
    {
        private static byte[][] Leaves(int n)
        {
            var leaves = new byte[n][];
            for (int i = 0; i < n; i++)
            {
                // Distinct contents of varying length, including an empty leaf.
                leaves[i] = new byte[i % 5];
                for (int j = 0; j < leaves[i].Length; j++) leaves[i][j] = (byte)(i * 31 + j);
            }
            return leaves;
        }

        [Fact]
        public void Empty_tree_root_is_sha256_of_nothing()
        {
            Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.Encode(MerkleTree.Root(new byte[0][])));
        }

        [Fact]
        public void Single_leaf_root_is_its_prefixed_hash()
        {
            // RFC 6962 leaf hash of the empty string: SHA-256(0x00).
            Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Hex.Encode(MerkleTree.Root(new[] { new byte[0] })));
        }

        [Fact]
        public void Roots_for_sizes_0_to_70_match_a_straightforward_recursive_implementation()
        {
            for (int n = 0; n <= 70; n++)
            {
                byte[][] leaves = Leaves(n);
                Assert.Equal(Hex.Encode(ReferenceRoot(leaves, 0, n)), Hex.Encode(MerkleTree.Root(leaves)));
            }
        }

        [Fact]
        public void Proofs_for_every_index_of_sizes_1_to_70_match_the_reference_and_verify()
        {
            for (int n = 1; n <= 70; n++)
            {
                byte[][] leaves = Leaves(n);
                byte[] root = MerkleTree.Root(leaves);
                for (int m = 0; m < n; m++)
                {
                    byte[][] proof = MerkleTree.InclusionProof(leaves, m);
                    byte[][] expected = ReferencePath(leaves, m, 0, n);
                    Assert.Equal(expected.Length, proof.Length);
                    for (int i = 0; i < proof.Length; i++) Assert.Equal(expected[i], proof[i]);
                    Assert.True(MerkleTree.VerifyInclusion(leaves[m], m, n, proof, root), $"n={n} m={m}");
                }
            }
        }

        [Fact]
        public void Proofs_fail_for_a_wrong_index_leaf_root_or_size()
        {
            byte[] differentLeaf = { 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA };
            for (int n = 1; n <= 70; n++)
            {
                byte[][] leaves = Leaves(n);
                byte[] root = MerkleTree.Root(leaves);
                byte[] wrongRoot = (byte[])root.Clone();
                wrongRoot[n % 32] ^= 0x01;
                for (int m = 0; m < n; m++)
                {
                    byte[][] proof = MerkleTree.InclusionProof(leaves, m);
                    for (int other = 0; other < n; other++)
                    {
                        // Every other index in small trees; in larger ones the neighbours, the mirror and the ends.
                        bool probe = n <= 20 || other == (m ^ 1) || other == m - 1 || other == m + 1 || other == n - 1 - m || other == 0 || other == n - 1;
                        if (other != m && probe) Assert.False(MerkleTree.VerifyInclusion(leaves[m], other, n, proof, root), $"n={n} m={m} as {other}");
                    }
                    Assert.False(MerkleTree.VerifyInclusion(differentLeaf, m, n, proof, root));
                    Assert.False(MerkleTree.VerifyInclusion(leaves[m], m, n, proof, wrongRoot));
                    // No "wrong tree size" case: a root does not commit to its size (size 3, index 0 and size 4,
                    // index 0 have the same path shape), which is why signed tree heads carry (size, root) together.
                    Assert.False(MerkleTree.VerifyInclusion(leaves[m], m, m, proof, root));
                    Assert.False(MerkleTree.VerifyInclusion(leaves[m], -1, n, proof, root));
                    if (proof.Length > 0)
                    {
                        byte[][] tampered = (byte[][])proof.Clone();
                        tampered[proof.Length - 1] = (byte[])proof[proof.Length - 1].Clone();
                        tampered[proof.Length - 1][0] ^= 0x80;
                        Assert.False(MerkleTree.VerifyInclusion(leaves[m], m, n, tampered, root));
                        Assert.False(MerkleTree.VerifyInclusion(leaves[m], m, n, proof[..^1], root));
                    }
                    byte[][] longer = new byte[proof.Length + 1][];
                    Array.Copy(proof, longer, proof.Length);
                    longer[proof.Length] = new byte[32];
                    Assert.False(MerkleTree.VerifyInclusion(leaves[m], m, n, longer, root));
                }
            }
        }

        [Fact]
        public void A_node_cannot_be_passed_off_as_a_leaf()
        {
            // Without the 0x00/0x01 prefixes, the concatenation of two leaf hashes would be a leaf of the same root.
            byte[][] leaves = Leaves(2);
            byte[] forged = ByteArrays.Concat(MerkleTree.LeafHash(leaves[0]), MerkleTree.LeafHash(leaves[1]));
            Assert.NotEqual(MerkleTree.Root(leaves), MerkleTree.Root(new[] { forged }));
        }

        [Fact]
        public void Inclusion_proof_index_must_be_inside_the_tree()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.InclusionProof(Leaves(3), 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.InclusionProof(Leaves(0), 0));
        }

        // Independent of the code under test: RFC 6962 §2.1 read literally, with the BCL's SHA-256.
        private static byte[] ReferenceRoot(byte[][] d, int start, int n)
        {
            if (n == 0) return SHA256.HashData(Array.Empty<byte>());
            if (n == 1) return SHA256.HashData([0x00, .. d[start]]);
            int k = 1;
            while (k * 2 < n) k *= 2;
            return SHA256.HashData([0x01, .. ReferenceRoot(d, start, k), .. ReferenceRoot(d, start + k, n - k)]);
        }

        private static byte[][] ReferencePath(byte[][] d, int m, int start, int n)
        {
            if (n == 1) return [];
            int k = 1;
            while (k * 2 < n) k *= 2;
            return m < k
                ? [.. ReferencePath(d, m, start, k), ReferenceRoot(d, start + k, n - k)]
                : [.. ReferencePath(d, m - k, start + k, n - k), ReferenceRoot(d, start, k)];
        }
    }
}
