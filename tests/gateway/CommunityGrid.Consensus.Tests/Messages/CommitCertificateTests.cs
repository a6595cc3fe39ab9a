using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Consensus.Tests.Support;

namespace CommunityGrid.Consensus.Tests.Messages;

public class CommitCertificateTests
{
    private const string Chain = "street-grid";
    private static readonly BlockId Id = new(Enumerable.Repeat((byte)9, 32).ToArray());

    private static SignedVote Precommit(TestKeys keys, int validator, int round = 1, BlockId? id = null) =>
        SignedVote.Create(Chain, MessageType.Precommit, 5, round, id ?? Id, keys[validator]);

    [Fact]
    public void More_than_two_thirds_of_the_set_make_a_valid_certificate_that_round_trips()
    {
        using var keys = new TestKeys(4);
        var certificate = CommitCertificate.FromPrecommits(new[] { Precommit(keys, 2), Precommit(keys, 0), Precommit(keys, 1) });
        Assert.True(certificate.Verify(Chain, keys.Set).IsValid);
        var decoded = CommitCertificate.Decode(certificate.Encode());
        Assert.True(decoded.Verify(Chain, keys.Set).IsValid);
        Assert.Equal(certificate.Encode(), decoded.Encode());
        Assert.Equal(new[] { keys[0].PublicKey, keys[1].PublicKey, keys[2].PublicKey }, decoded.Signatures.Select(s => s.Validator));
    }

    [Fact]
    public void Two_thirds_exactly_is_not_enough()
    {
        using var keys = new TestKeys(6); // quorum 5
        var certificate = CommitCertificate.FromPrecommits(Enumerable.Range(0, 4).Select(i => Precommit(keys, i)));
        Assert.Equal(CertificateProblem.NotEnoughSigners, certificate.Verify(Chain, keys.Set).Problem);
    }

    [Fact]
    public void An_empty_certificate_is_invalid_not_merely_short()
    {
        using var keys = new TestKeys(4);
        var empty = new CommitCertificate(5, 1, Id, Array.Empty<CommitSignature>());
        Assert.Equal(CertificateProblem.Empty, empty.Verify(Chain, keys.Set).Problem);
        Assert.Equal(CertificateProblem.Empty, CommitCertificate.Decode(empty.Encode()).Verify(Chain, keys.Set).Problem);
    }

    [Fact]
    public void A_foreign_signer_invalidates_the_certificate_even_with_a_quorum_of_members()
    {
        using var keys = new TestKeys(4);
        using var outsider = new TestKeys(1, salt: 77);
        var signatures = Enumerable.Range(0, 3).Select(i => Precommit(keys, i)).Append(SignedVote.Create(Chain, MessageType.Precommit, 5, 1, Id, outsider[0]))
            .Select(v => new CommitSignature(v.Validator, v.Signature)).ToList();
        Assert.Equal(CertificateProblem.ForeignSigner, new CommitCertificate(5, 1, Id, signatures).Verify(Chain, keys.Set).Problem);
    }

    [Fact]
    public void A_signer_twice_invalidates_the_certificate_and_cannot_be_built_or_decoded()
    {
        using var keys = new TestKeys(4);
        SignedVote a = Precommit(keys, 0), b = Precommit(keys, 1);
        var twice = new List<CommitSignature> { new(a.Validator, a.Signature), new(a.Validator, a.Signature), new(b.Validator, b.Signature) };
        var certificate = new CommitCertificate(5, 1, Id, twice);
        Assert.Equal(CertificateProblem.DuplicateSigner, certificate.Verify(Chain, keys.Set).Problem);
        Assert.Throws<ArgumentException>(() => CommitCertificate.FromPrecommits(new[] { a, a, b }));
        Assert.Throws<ConsensusFormatException>(() => CommitCertificate.Decode(certificate.Encode()));
    }

    [Fact]
    public void Precommits_of_different_rounds_cannot_be_pooled_into_one_certificate()
    {
        using var keys = new TestKeys(4);
        var mixed = new[] { Precommit(keys, 0, round: 1), Precommit(keys, 1, round: 1), Precommit(keys, 2, round: 2) };
        Assert.Throws<ArgumentException>(() => CommitCertificate.FromPrecommits(mixed));
        // Relabelled as round 1, the round-2 signature does not verify: the round is in the signed bytes.
        var pooled = new CommitCertificate(5, 1, Id, mixed.Select(v => new CommitSignature(v.Validator, v.Signature)).OrderBy(s => s.Validator, ByteOrder.Instance).ToList());
        Assert.Equal(CertificateProblem.BadSignature, pooled.Verify(Chain, keys.Set).Problem);
    }

    [Fact]
    public void Nil_precommits_and_other_blocks_cannot_be_in_a_certificate()
    {
        using var keys = new TestKeys(4);
        var other = new BlockId(new byte[32]);
        Assert.Throws<ArgumentException>(() => CommitCertificate.FromPrecommits(new[] { Precommit(keys, 0), Precommit(keys, 1, id: other) }));
        SignedVote nil = SignedVote.Create(Chain, MessageType.Precommit, 5, 1, null, keys[2]);
        Assert.Throws<ArgumentException>(() => CommitCertificate.FromPrecommits(new[] { Precommit(keys, 0), nil }));
        Assert.Throws<ArgumentException>(() => CommitCertificate.FromPrecommits(Array.Empty<SignedVote>()));
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
