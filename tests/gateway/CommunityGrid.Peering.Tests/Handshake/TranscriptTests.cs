using System;
using System.Linq;
using CommunityGrid.Peering.Handshake;
using CommunityGrid.Peering.TestSupport;

namespace CommunityGrid.Peering.Tests.Handshake;

public sealed class TranscriptTests
{
    private static Transcript.Parts SomeParts() => new(
        "oakfield",
        TestKeys.New().Key,
        TestKeys.New().Key,
        Enumerable.Repeat((byte)1, 32).ToArray(),
        Enumerable.Repeat((byte)2, 32).ToArray(),
        [3, 3, 3],
        [4, 4, 4]);

    [Fact]
    public void The_two_roles_sign_different_bytes_so_a_proof_cannot_be_reflected()
    {
        Transcript.Parts parts = SomeParts();
        Assert.NotEqual(Transcript.Build(HandshakeRole.Dialer, parts), Transcript.Build(HandshakeRole.Listener, parts));
    }

    [Fact]
    public void Every_part_changes_the_signed_bytes()
    {
        Transcript.Parts parts = SomeParts();
        byte[] original = Transcript.Build(HandshakeRole.Dialer, parts);
        Transcript.Parts[] variants =
        [
            parts with { ChainId = "elmstreet" },
            parts with { DialerKey = TestKeys.New().Key },
            parts with { ListenerKey = TestKeys.New().Key },
            parts with { DialerNonce = new byte[32] },
            parts with { ListenerNonce = new byte[32] },
            parts with { DialerCertificate = [9] },
            parts with { ListenerCertificate = [9] },
        ];
        foreach (Transcript.Parts variant in variants)
        {
            Assert.NotEqual(original, Transcript.Build(HandshakeRole.Dialer, variant));
        }
    }

    [Fact]
    public void A_proof_verifies_only_over_the_transcript_it_signed()
    {
        var (seed, key) = TestKeys.New();
        using var identity = new LocalIdentity(seed);
        Assert.Equal(key, identity.PublicKey);
        Transcript.Parts parts = SomeParts() with { DialerKey = key };
        byte[] signature = identity.Sign(Transcript.Build(HandshakeRole.Dialer, parts));

        Assert.True(LocalIdentity.Verify(key, Transcript.Build(HandshakeRole.Dialer, parts), signature));
        Assert.False(LocalIdentity.Verify(key, Transcript.Build(HandshakeRole.Dialer, parts with { ListenerCertificate = [5] }), signature));
        Assert.False(LocalIdentity.Verify(key, Transcript.Build(HandshakeRole.Listener, parts), signature));
        Assert.False(LocalIdentity.Verify(TestKeys.New().Key, Transcript.Build(HandshakeRole.Dialer, parts), signature));
    }
}
