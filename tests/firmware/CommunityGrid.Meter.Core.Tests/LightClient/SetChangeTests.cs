using CommunityGrid.Chain.Blocks;
using CommunityGrid.Meter.LightClient;

namespace CommunityGrid.Meter.Core.Tests.LightClient;

/// <summary>The adjacent-header rule: a new set is trusted only when a header the trusted set committed announces its hash.</summary>
public sealed class SetChangeTests
{
    [Fact]
    public void A_set_change_announced_by_a_verified_header_is_followed_across()
    {
        using var old = new Validators(4, 1);
        using var next = new Validators(7, 20);
        LightClientVerifier client = Headers.Client(old);
        BlockHeader steady = Headers.Make(1, old.SetHash());
        BlockHeader announcing = Headers.Make(2, next.SetHash());
        BlockHeader afterChange = Headers.Make(3, next.SetHash());

        Assert.True(client.VerifyBlock(steady.Encode(), old.Certify(1, 0, steady.Hash(), old.All()).Encode(), 1).IsValid);
        LightClientResult announced = client.VerifyBlock(announcing.Encode(), old.Certify(2, 0, announcing.Hash(), 0, 1, 2).Encode(), 2);
        Assert.True(announced.IsValid);
        // Before following, the new set's certificate is foreign to the meter.
        byte[] newCertificate = next.Certify(3, 0, afterChange.Hash(), 0, 1, 2, 3, 4).Encode();
        Assert.Equal(LightClientVerdict.ForeignSigner, client.VerifyBlock(afterChange.Encode(), newCertificate, 3).Verdict);

        LightClientResult followed = client.FollowSetChange(announced.Header!, next.SetEncoding());

        Assert.Equal(LightClientVerdict.Valid, followed.Verdict);
        Assert.Equal(7, client.TrustedSet.Count);
        Assert.Equal(next.SetHash(), client.TrustedSet.Hash);
        Assert.True(client.VerifyBlock(afterChange.Encode(), newCertificate, 3).IsValid);
        // The old set alone no longer commits anything.
        BlockHeader four = Headers.Make(4, next.SetHash());
        Assert.Equal(LightClientVerdict.ForeignSigner, client.VerifyBlock(four.Encode(), old.Certify(4, 0, four.Hash(), old.All()).Encode(), 4).Verdict);
    }

    [Fact]
    public void A_set_that_does_not_hash_to_the_announced_value_is_refused()
    {
        using var old = new Validators(4, 1);
        using var next = new Validators(4, 20);
        using var impostor = new Validators(4, 40);
        LightClientVerifier client = Headers.Client(old);
        BlockHeader announcing = Headers.Make(1, next.SetHash());
        LightClientResult verified = client.VerifyBlock(announcing.Encode(), old.Certify(1, 0, announcing.Hash(), old.All()).Encode(), 1);

        Assert.Equal(LightClientVerdict.SetHashMismatch, client.FollowSetChange(verified.Header!, impostor.SetEncoding()).Verdict);
        Assert.Equal(old.SetHash(), client.TrustedSet.Hash);
    }

    [Fact]
    public void A_set_change_from_a_header_without_a_quorum_of_the_trusted_set_is_never_followed()
    {
        using var old = new Validators(4, 1);
        using var next = new Validators(4, 20);
        LightClientVerifier client = Headers.Client(old);
        byte[] announcingBytes = Headers.Make(1, next.SetHash()).Encode();
        byte[] weak = old.Certify(1, 0, Headers.Make(1, next.SetHash()).Hash(), 0, 1).Encode();

        Assert.Equal(LightClientVerdict.NotEnoughSigners, client.VerifyBlock(announcingBytes, weak, 1).Verdict);
        LightHeader unverified = LightHeader.Decode(announcingBytes);
        Assert.Equal(LightClientVerdict.UnverifiedHeader, client.FollowSetChange(unverified, next.SetEncoding()).Verdict);
        Assert.Equal(old.SetHash(), client.TrustedSet.Hash);
    }

    [Fact]
    public void A_set_change_is_followed_only_from_the_header_verified_last()
    {
        using var old = new Validators(4, 1);
        using var next = new Validators(4, 20);
        LightClientVerifier client = Headers.Client(old);
        BlockHeader announcing = Headers.Make(1, next.SetHash());
        LightClientResult first = client.VerifyBlock(announcing.Encode(), old.Certify(1, 0, announcing.Hash(), old.All()).Encode(), 1);
        BlockHeader later = Headers.Make(2, next.SetHash());
        Assert.True(client.VerifyBlock(later.Encode(), old.Certify(2, 0, later.Hash(), old.All()).Encode(), 2).IsValid);

        Assert.Equal(LightClientVerdict.UnverifiedHeader, client.FollowSetChange(first.Header!, next.SetEncoding()).Verdict);
    }

    [Fact]
    public void The_installed_set_must_be_the_canonical_encoding()
    {
        using var set = new Validators(4, 1);
        byte[] encoding = set.SetEncoding();
        TrustedValidatorSet trusted = TrustedValidatorSet.FromEncoding(encoding);
        Assert.Equal(4, trusted.Count);
        Assert.Equal(3, trusted.Quorum);
        Assert.Equal(set[2].PublicKey, trusted.KeyAt(2));

        // Swap the first two entries: same keys, wrong order.
        var writer = new System.Formats.Cbor.CborWriter(System.Formats.Cbor.CborConformanceMode.Canonical);
        writer.WriteStartArray(2);
        foreach (int i in new[] { 1, 0 })
        {
            writer.WriteStartArray(2);
            writer.WriteByteString(set[i].PublicKey);
            writer.WriteTextString("gw");
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        Assert.Throws<System.FormatException>(() => TrustedValidatorSet.FromEncoding(writer.Encode()));
        Assert.Throws<System.FormatException>(() => TrustedValidatorSet.FromEncoding([0x80]));
    }
}
