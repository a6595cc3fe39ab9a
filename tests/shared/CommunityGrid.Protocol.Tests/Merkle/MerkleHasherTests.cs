using System;
using System.Security.Cryptography;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Protocol.Tests.Merkle
{
    public class MerkleHasherTests
    {
        /// <summary>The gateway's kind of hasher: the platform SHA-256 behind the seam (the chain's own is tested in the chain's tests).</summary>
        private sealed class PlatformHasher : IMerkleHasher
        {
            public byte[] LeafHash(byte[] data) => SHA256.HashData([0x00, .. data]);

            public byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);
        }

        private static readonly IMerkleHasher Platform = new PlatformHasher();

        private static byte[] RandomBytes(Random random, int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        private static byte[][] RandomLeaves(Random random, int n)
        {
            var leaves = new byte[n][];
            for (int i = 0; i < n; i++) leaves[i] = RandomBytes(random, random.Next(0, 130));
            return leaves;
        }

        private static string[] Hexes(byte[][] hashes) => Array.ConvertAll(hashes, Hex.Encode);

        [Fact]
        public void The_portable_hasher_equals_the_platform_sha256_on_random_inputs()
        {
            var random = new Random(3);
            for (int i = 0; i < 2000; i++)
            {
                byte[] data = RandomBytes(random, i < 300 ? i : random.Next(0, 1500));
                Assert.Equal(Hex.Encode(Platform.LeafHash(data)), Hex.Encode(PortableMerkleHasher.Instance.LeafHash(data)));
                Assert.Equal(Hex.Encode(Platform.LeafHash(data)), Hex.Encode(MerkleTree.LeafHash(data)));
                byte[] left = RandomBytes(random, 32), right = RandomBytes(random, 32);
                Assert.Equal(Hex.Encode(Platform.NodeHash(left, right)), Hex.Encode(PortableMerkleHasher.Instance.NodeHash(left, right)));
                Assert.Equal(Hex.Encode(Platform.NodeHash(left, right)), Hex.Encode(MerkleTree.NodeHash(left, right)));
            }
        }

        [Fact]
        public void Every_overload_gives_the_default_roots_and_proofs_for_sizes_0_to_70()
        {
            var random = new Random(4);
            for (int n = 0; n <= 70; n++)
            {
                byte[][] leaves = RandomLeaves(random, n);
                byte[][] leafHashes = Array.ConvertAll(leaves, Platform.LeafHash);
                string root = Hex.Encode(MerkleTree.Root(leaves));
                Assert.Equal(root, Hex.Encode(MerkleTree.Root(leaves, Platform)));
                Assert.Equal(root, Hex.Encode(MerkleTree.RootOfLeafHashes(leafHashes, Platform)));
                Assert.Equal(root, Hex.Encode(MerkleTree.RootOfLeafHashes(leafHashes, PortableMerkleHasher.Instance)));
                for (int m = 0; m < n; m++)
                {
                    string[] proof = Hexes(MerkleTree.InclusionProof(leaves, m));
                    Assert.Equal(proof, Hexes(MerkleTree.InclusionProof(leaves, m, Platform)));
                    byte[][] fromHashes = MerkleTree.InclusionProofOfLeafHashes(leafHashes, m, Platform);
                    Assert.Equal(proof, Hexes(fromHashes));
                    Assert.True(MerkleTree.VerifyInclusion(leaves[m], m, n, fromHashes, Hex.Decode(root)));
                    Assert.True(MerkleTree.VerifyInclusion(leaves[m], m, n, fromHashes, Hex.Decode(root), Platform));
                    Assert.False(MerkleTree.VerifyInclusion(RandomBytes(random, 5), m, n, fromHashes, Hex.Decode(root), Platform));
                }
            }
        }

        [Fact]
        public void Results_never_share_arrays_with_the_callers_leaf_hashes()
        {
            byte[][] leafHashes = { Platform.LeafHash(new byte[] { 1 }), Platform.LeafHash(new byte[] { 2 }) };
            byte[] single = MerkleTree.RootOfLeafHashes(new[] { leafHashes[0] }, Platform);
            byte[][] path = MerkleTree.InclusionProofOfLeafHashes(leafHashes, 0, Platform);
            Assert.Equal(Hex.Encode(leafHashes[0]), Hex.Encode(single));
            Assert.Equal(Hex.Encode(leafHashes[1]), Hex.Encode(path[0]));
            Assert.NotSame(leafHashes[0], single);
            Assert.NotSame(leafHashes[1], path[0]);
        }

        [Fact]
        public void Leaf_hashes_must_be_32_bytes_and_indexes_inside_the_tree()
        {
            Assert.Throws<ArgumentException>(() => MerkleTree.RootOfLeafHashes(new[] { new byte[31] }, Platform));
            Assert.Throws<ArgumentException>(() => MerkleTree.RootOfLeafHashes(new byte[][] { null! }, Platform));
            Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.InclusionProofOfLeafHashes(new[] { new byte[32] }, 1, Platform));
            Assert.Throws<ArgumentNullException>(() => MerkleTree.Root(new byte[0][], null!));
        }
    }
}
