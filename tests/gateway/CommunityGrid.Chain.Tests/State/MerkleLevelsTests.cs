using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.State;
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
        var changes = Enumerable.Range(0, 37).Select(i => new StateChange($"balance/h{i:00}", StateValues.EncodeInt(i * 11 - 100))).ToList();
        changes.Add(new StateChange("fund", StateValues.EncodeInt(5)));
        var entries = new StateEntries();
        entries.Apply(changes);
        var roots = new CachedStateRoot(entries);
        string[] keys = ["balance/h03", "balance/h36", "fund", "absent/key"];
        IReadOnlyDictionary<string, StateProof> many = roots.ProveMany(keys);
        Assert.Equal(3, many.Count);
        foreach (string key in keys.Take(3))
        {
            StateProof single = roots.Prove(key)!;
            Assert.Equal((single.Index, single.TreeSize), (many[key].Index, many[key].TreeSize));
            Assert.Equal(single.Root, many[key].Root);
            Assert.Equal(single.Path, many[key].Path);
            Assert.True(many[key].Verify(single.Root));
        }
    }
}
