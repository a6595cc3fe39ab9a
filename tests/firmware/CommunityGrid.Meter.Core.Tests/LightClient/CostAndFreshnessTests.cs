using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>The figures docs/meter.md gives for a verified block, and "too old to trust" by the meter's own interval counter.</summary>
public sealed class CostAndFreshnessTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(4, 3)]
    [InlineData(7, 7)]
    [InlineData(7, 5)]
    public void A_verified_block_costs_one_header_hash_and_one_signature_check_per_signer(int n, int signing)
    {
        using var set = new Validators(n, 1);
        LightClientVerifier client = Headers.Client(set);
        BlockHeader header = Headers.Make(1, set.SetHash());

        Assert.True(client.VerifyBlock(header.Encode(), set.Certify(1, 0, header.Hash(), Enumerable.Range(0, signing).ToArray()).Encode(), 1).IsValid);

        Assert.Equal(1, client.Cost.Sha256Hashes);
        Assert.Equal(signing, client.Cost.SignatureChecks);
    }

    [Fact]
    public void A_foreign_or_duplicate_signer_is_refused_before_any_signature_check()
    {
        using var set = new Validators(4, 1);
        using var outsider = new Validators(1, 60);
        LightClientVerifier client = Headers.Client(set);
        BlockHeader header = Headers.Make(1, set.SetHash());
        var precommits = set.All().Select(i => set.Precommit(i, 1, 0, header.Hash())).Append(outsider.Precommit(0, 1, 0, header.Hash()));

        Assert.Equal(LightClientVerdict.ForeignSigner, client.VerifyBlock(header.Encode(), CommunityGrid.Consensus.Messages.CommitCertificate.FromPrecommits(precommits).Encode(), 1).Verdict);
        Assert.Equal(0, client.Cost.SignatureChecks);
    }

    [Theory]
    [InlineData(100, 0, 8)]   // 100 leaves: a path of 7 siblings, plus the leaf hash
    [InlineData(100, 99, 5)]  // the last leaf of an unbalanced tree has a shorter path (4 siblings)
    [InlineData(17000, 5000, 16)] // a state of ~17,000 entries (chain.md §3 benchmark): 15 siblings + leaf
    public void A_proof_costs_one_leaf_hash_plus_one_hash_per_path_element(int size, int index, int expectedHashes)
    {
        using var set = new Validators(4, 1);
        byte[][] leaves = Enumerable.Range(0, size).Select(i => System.BitConverter.GetBytes(i)).ToArray();
        BlockHeader header = Headers.Make(1, set.SetHash(), txRoot: MerkleTree.Root(leaves));
        LightClientVerifier client = Headers.Client(set);
        LightHeader verified = client.VerifyBlock(header.Encode(), set.Certify(1, 0, header.Hash(), set.All()).Encode(), 1).Header!;
        client.Cost.Reset();

        var proof = new InclusionProof(index, size, MerkleTree.InclusionProof(leaves, index));
        Assert.True(client.VerifyTransaction(verified, leaves[index], proof).IsValid);

        Assert.Equal(expectedHashes, client.Cost.Sha256Hashes);
        Assert.Equal(0, client.Cost.SignatureChecks);
    }

    [Fact]
    public void Trust_ages_by_the_meters_own_intervals_not_by_a_clock()
    {
        using var set = new Validators(4, 1);
        var client = new LightClientVerifier(Validators.ChainId, set.Trusted(), startInterval: 100, staleAfterIntervals: 4, trustExpiresAfterIntervals: 96);

        Assert.Equal(TrustFreshness.Fresh, client.FreshnessAt(104));
        Assert.Equal(TrustFreshness.Stale, client.FreshnessAt(105));
        BlockHeader header = Headers.Make(1, set.SetHash());
        Assert.True(client.VerifyBlock(header.Encode(), set.Certify(1, 0, header.Hash(), set.All()).Encode(), 150).IsValid);
        Assert.Equal(TrustFreshness.Fresh, client.FreshnessAt(150));
        Assert.Equal(TrustFreshness.TrustExpired, client.FreshnessAt(247));

        BlockHeader late = Headers.Make(2, set.SetHash());
        LightClientResult refused = client.VerifyBlock(late.Encode(), set.Certify(2, 0, late.Hash(), set.All()).Encode(), 247);
        Assert.Equal(LightClientVerdict.TrustExpired, refused.Verdict);
        Assert.Equal(1, client.LatestVerifiedHeight);
    }
}
