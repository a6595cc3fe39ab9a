using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.Tests.State;

/// <summary>The level-by-level tree the gateway proves many entries with equals RFC 6962's tree (MerkleTree) for every size and leaf.</summary>
public sealed class MerkleLevelsTests
{
    [Fact]
    public void Roots_and_paths_equal_the_rfc6962_definition_for_every_size_up_to_70()
    {
        for (int size = 1; size <= 70; size++)
        {
            byte[][] leaves = Enumerable.Range(0, size).Select(i => new[] { (byte)i, (byte)(size) }).ToArray();
            byte[][] hashes = leaves.Select(l => BclMerkleHasher.Instance.LeafHash(l)).ToArray();
            var tree = new MerkleLevels(hashes, BclMerkleHasher.Instance);
            Assert.Equal(MerkleTree.Root(leaves), tree.Root);
            for (int i = 0; i < size; i++)
            {
                Assert.Equal(MerkleTree.InclusionProof(leaves, i), tree.InclusionProof(i));
            }
        }
    }

    [Fact]
    public void Proving_many_keys_at_once_gives_the_single_key_proofs()
    {
        // A busy chain: entries were deleted and slots reused, so positions are not key order.
        using TestCommunity c = ReplayTests.BusyChain(3);
        byte[] root = c.Blocks[^1].Header.StateRoot;
        string[] keys = [StateKeys.Balance("h1"), StateKeys.Balance("h2"), "fund", StateKeys.Balance("h1"), "absent/key"];
        IReadOnlyDictionary<string, StateProof> many = c.State.ProveMany(keys);
        Assert.Equal(3, many.Count);
        foreach (string key in keys.Take(3))
        {
            StateProof single = c.State.Prove(key)!;
            Assert.Equal((single.Index, single.TreeSize), (many[key].Index, many[key].TreeSize));
            Assert.Equal(single.Path, many[key].Path);
            Assert.True(many[key].Verify(root));
        }
    }
}
