using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Meter.LightClient;
using CommitSignature = CommunityGrid.Consensus.Messages.CommitSignature;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

public sealed class CertificateVerificationTests
{
    [Theory]
    [InlineData(4, 3)]
    [InlineData(4, 4)]
    [InlineData(7, 5)]
    [InlineData(7, 7)]
    public void A_certificate_of_more_than_two_thirds_verifies_the_header(int n, int signing)
    {
        using var set = new Validators(n, 1);
        LightClientVerifier client = Headers.Client(set);
        BlockHeader header = Headers.Make(1, set.SetHash());
        CommitCertificate certificate = set.Certify(1, 2, header.Hash(), Enumerable.Range(0, signing).ToArray());

        LightClientResult result = client.VerifyBlock(header.Encode(), certificate.Encode(), meterInterval: 1);

        Assert.Equal(LightClientVerdict.Valid, result.Verdict);
        Assert.Equal(1, client.LatestVerifiedHeight);
        Assert.Equal(header.StateRoot, result.Header!.StateRoot);
        Assert.True(certificate.Verify(Validators.ChainId, set.ConsensusSet()).IsValid); // the gateway agrees
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(4, 1)]
    [InlineData(7, 4)]
    public void Fewer_than_the_quorum_is_not_enough_signers(int n, int signing)
    {
        using var set = new Validators(n, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        CommitCertificate certificate = set.Certify(1, 0, header.Hash(), Enumerable.Range(0, signing).ToArray());
        LightClientVerifier client = Headers.Client(set);

        Assert.Equal(LightClientVerdict.NotEnoughSigners, client.VerifyBlock(header.Encode(), certificate.Encode(), 1).Verdict);
        Assert.Null(client.LatestVerified);
    }

    [Fact]
    public void An_empty_certificate_is_invalid_not_merely_not_enough()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        var empty = new CommitCertificate(1, 0, new BlockId(header.Hash()), new List<CommitSignature>());

        LightClientResult result = Headers.Client(set).VerifyBlock(header.Encode(), empty.Encode(), 1);

        Assert.Equal(LightClientVerdict.Empty, result.Verdict);
    }

    [Fact]
    public void A_signer_outside_the_trusted_set_is_foreign_even_with_a_quorum_of_members()
    {
        using var set = new Validators(4, 1);
        using var outsiders = new Validators(1, 50);
        BlockHeader header = Headers.Make(1, set.SetHash());
        var precommits = set.All().Select(i => set.Precommit(i, 1, 0, header.Hash())).Append(outsiders.Precommit(0, 1, 0, header.Hash()));
        CommitCertificate certificate = CommitCertificate.FromPrecommits(precommits);

        Assert.Equal(LightClientVerdict.ForeignSigner, Headers.Client(set).VerifyBlock(header.Encode(), certificate.Encode(), 1).Verdict);
    }

    [Fact]
    public void A_signer_twice_is_a_duplicate_even_though_the_count_reaches_the_quorum()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        CommitSignature a = Signature(set.Precommit(0, 1, 0, header.Hash()));
        CommitSignature b = Signature(set.Precommit(1, 1, 0, header.Hash()));
        var doubled = new CommitCertificate(1, 0, new BlockId(header.Hash()), new List<CommitSignature> { a, a, b });

        Assert.Equal(LightClientVerdict.DuplicateSigner, Headers.Client(set).VerifyBlock(header.Encode(), doubled.Encode(), 1).Verdict);
    }

    [Fact]
    public void Precommits_of_another_round_cannot_be_pooled_into_a_certificate()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        // Two precommits of round 1 and one of round 0, presented as a round-1 certificate of three signers.
        var mixed = new List<CommitSignature>
        {
            Signature(set.Precommit(0, 1, 1, header.Hash())),
            Signature(set.Precommit(1, 1, 0, header.Hash())),
            Signature(set.Precommit(2, 1, 1, header.Hash())),
        };
        var certificate = new CommitCertificate(1, 1, new BlockId(header.Hash()), mixed);

        LightClientResult result = Headers.Client(set).VerifyBlock(header.Encode(), certificate.Encode(), 1);

        Assert.Equal(LightClientVerdict.BadSignature, result.Verdict);
        Assert.Contains("round 1", result.Reason);
    }

    [Fact]
    public void A_certificate_relabelled_to_another_round_has_bad_signatures()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        CommitCertificate round0 = set.Certify(1, 0, header.Hash(), set.All());
        var relabelled = new CommitCertificate(1, 3, round0.BlockId, round0.Signatures);

        Assert.Equal(LightClientVerdict.BadSignature, Headers.Client(set).VerifyBlock(header.Encode(), relabelled.Encode(), 1).Verdict);
    }

    [Fact]
    public void Precommits_signed_for_another_chain_are_bad_signatures_and_a_header_of_another_chain_is_refused()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        CommitCertificate foreignChain = CommitCertificate.FromPrecommits(set.All().Select(i => set.Precommit(i, 1, 0, header.Hash(), "oak-street")));
        Assert.Equal(LightClientVerdict.BadSignature, Headers.Client(set).VerifyBlock(header.Encode(), foreignChain.Encode(), 1).Verdict);

        BlockHeader otherChain = Headers.Make(1, set.SetHash(), chainId: "oak-street");
        CommitCertificate certificate = set.Certify(1, 0, otherChain.Hash(), set.All());
        Assert.Equal(LightClientVerdict.WrongChain, Headers.Client(set).VerifyBlock(otherChain.Encode(), certificate.Encode(), 1).Verdict);
    }

    [Fact]
    public void A_certificate_of_another_height_or_block_is_refused()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(2, set.SetHash());
        CommitCertificate otherHeight = set.Certify(1, 0, header.Hash(), set.All());
        Assert.Equal(LightClientVerdict.WrongHeight, Headers.Client(set).VerifyBlock(header.Encode(), otherHeight.Encode(), 1).Verdict);

        BlockHeader sibling = Headers.Make(2, set.SetHash(), stateRoot: Headers.Fill(0x99));
        CommitCertificate forSibling = set.Certify(2, 0, sibling.Hash(), set.All());
        Assert.Equal(LightClientVerdict.WrongBlock, Headers.Client(set).VerifyBlock(header.Encode(), forSibling.Encode(), 1).Verdict);
    }

    [Fact]
    public void An_older_or_replayed_header_is_refused_after_a_later_one()
    {
        using var set = new Validators(4, 1);
        LightClientVerifier client = Headers.Client(set);
        BlockHeader five = Headers.Make(5, set.SetHash());
        BlockHeader four = Headers.Make(4, set.SetHash());
        Assert.True(client.VerifyBlock(five.Encode(), set.Certify(5, 0, five.Hash(), set.All()).Encode(), 1).IsValid);

        Assert.Equal(LightClientVerdict.WrongHeight, client.VerifyBlock(four.Encode(), set.Certify(4, 0, four.Hash(), set.All()).Encode(), 2).Verdict);
        Assert.Equal(LightClientVerdict.WrongHeight, client.VerifyBlock(five.Encode(), set.Certify(5, 0, five.Hash(), set.All()).Encode(), 2).Verdict);
        Assert.Equal(5, client.LatestVerifiedHeight);
    }

    [Fact]
    public void Bytes_that_are_not_the_deterministic_encoding_are_malformed()
    {
        using var set = new Validators(4, 1);
        BlockHeader header = Headers.Make(1, set.SetHash());
        byte[] certificate = set.Certify(1, 0, header.Hash(), set.All()).Encode();
        LightClientVerifier client = Headers.Client(set);

        Assert.Equal(LightClientVerdict.Malformed, client.VerifyBlock(header.Encode(), [.. certificate, 0x00], 1).Verdict);
        Assert.Equal(LightClientVerdict.Malformed, client.VerifyBlock([.. header.Encode(), 0x00], certificate, 1).Verdict);
        // Height 1 written as a one-byte argument (18 01) instead of in the initial byte.
        byte[] nonShortest = [certificate[0], 0x18, 0x01, .. certificate[2..]];
        Assert.Equal(LightClientVerdict.Malformed, client.VerifyBlock(header.Encode(), nonShortest, 1).Verdict);
        Assert.True(client.VerifyBlock(header.Encode(), certificate, 1).IsValid);
    }

    private static CommitSignature Signature(SignedVote vote) => new(vote.Validator, vote.Signature);
}
