using System;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Tests.State;

public sealed class BclMerkleHasherTests
{
    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Leaf_and_node_hashes_equal_the_portable_ones_on_random_inputs()
    {
        var random = new Random(17);
        IMerkleHasher portable = PortableMerkleHasher.Instance, bcl = BclMerkleHasher.Instance;
        for (int i = 0; i < 3000; i++)
        {
            // Lengths on both sides of the stack/heap switch and of SHA-256's 55/64-byte padding boundaries.
            byte[] data = RandomBytes(random, i < 1200 ? i % 600 : random.Next(0, 2000));
            Assert.Equal(Hashes.Hex(portable.LeafHash(data)), Hashes.Hex(bcl.LeafHash(data)));
            byte[] left = RandomBytes(random, i % 3 == 0 ? random.Next(0, 700) : 32), right = RandomBytes(random, 32);
            Assert.Equal(Hashes.Hex(portable.NodeHash(left, right)), Hashes.Hex(bcl.NodeHash(left, right)));
        }
    }

    [Fact]
    public void Roots_and_proofs_equal_the_portable_ones_and_verify_with_the_portable_code()
    {
        var random = new Random(23);
        for (int n = 0; n <= 40; n++)
        {
            var leaves = new byte[n][];
            for (int i = 0; i < n; i++) leaves[i] = RandomBytes(random, random.Next(0, 90));
            byte[] root = MerkleTree.Root(leaves);
            Assert.Equal(Hashes.Hex(root), Hashes.Hex(MerkleTree.Root(leaves, BclMerkleHasher.Instance)));
            for (int m = 0; m < n; m++)
            {
                byte[][] proof = MerkleTree.InclusionProof(leaves, m, BclMerkleHasher.Instance);
                Assert.Equal(Array.ConvertAll(MerkleTree.InclusionProof(leaves, m), b => Hashes.Hex(b)), Array.ConvertAll(proof, b => Hashes.Hex(b)));
                Assert.True(MerkleTree.VerifyInclusion(leaves[m], m, n, proof, root));
            }
        }
    }

    [Fact]
    public void Null_inputs_are_refused_like_the_portable_hasher_refuses_them()
    {
        Assert.Throws<ArgumentNullException>(() => BclMerkleHasher.Instance.LeafHash(null!));
        Assert.Throws<ArgumentNullException>(() => BclMerkleHasher.Instance.NodeHash(new byte[32], null!));
        Assert.Throws<ArgumentNullException>(() => PortableMerkleHasher.Instance.NodeHash(null!, new byte[32]));
    }
}
