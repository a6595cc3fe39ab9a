using System;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Simulation.Pipeline;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// The simulated meters share one verdict per (key, message, signature) triple (<see cref="SignatureVerdictCache"/>):
/// the same triple is answered from the cache, and any other triple, however close, is verified by libsodium again,
/// so a tampered commit signature, header or key is still refused after the genuine one was accepted.
/// </summary>
public class SignatureVerdictCacheTests
{
    [Fact]
    public void The_same_triple_is_verified_once_and_answered_alike_afterwards()
    {
        var check = new SodiumSignatureCheck();
        (byte[] key, byte[] header, byte[] signature) = SignedHeader(1);

        for (int meter = 0; meter < 180; meter++) Assert.True(check.Verify(key, (byte[])header.Clone(), (byte[])signature.Clone()));

        Assert.Equal(1, check.Verdicts.Misses);
        Assert.Equal(179, check.Verdicts.Hits);
    }

    [Fact]
    public void A_tampered_signature_message_or_key_misses_the_cache_and_is_refused()
    {
        var check = new SodiumSignatureCheck();
        (byte[] key, byte[] header, byte[] signature) = SignedHeader(2);
        (byte[] otherKey, _, _) = SignedHeader(3);
        Assert.True(check.Verify(key, header, signature));

        for (int bit = 0; bit < signature.Length * 8; bit++) Assert.False(check.Verify(key, header, Flip(signature, bit)));
        for (int bit = 0; bit < header.Length * 8; bit++) Assert.False(check.Verify(key, Flip(header, bit), signature));
        for (int bit = 0; bit < key.Length * 8; bit++) Assert.False(check.Verify(Flip(key, bit), header, signature));
        Assert.False(check.Verify(otherKey, header, signature));
        Assert.False(check.Verify(key, [.. header, 0], signature));           // one byte more: another message

        Assert.Equal(0, check.Verdicts.Hits);
        Assert.Equal(1 + (signature.Length + header.Length + key.Length) * 8 + 2, check.Verdicts.Misses);
        // Refusals are kept as well: asked again, the tampered triple is still refused, now from the cache.
        Assert.False(check.Verify(key, header, Flip(signature, 0)));
        Assert.True(check.Verify(key, header, signature));
        Assert.Equal(2, check.Verdicts.Hits);
    }

    [Fact]
    public void A_full_cache_starts_again_and_keeps_giving_libsodiums_verdicts()
    {
        var check = new SodiumSignatureCheck(new SignatureVerdictCache(capacity: 3));
        var headers = new (byte[] Key, byte[] Header, byte[] Signature)[8];
        for (int n = 0; n < headers.Length; n++) headers[n] = SignedHeader(10 + n);

        for (int round = 0; round < 3; round++)
        {
            foreach ((byte[] key, byte[] header, byte[] signature) in headers)
            {
                Assert.True(check.Verify(key, header, signature));
                Assert.False(check.Verify(key, header, Flip(signature, 9)));
            }
        }
        Assert.True(check.Verdicts.Misses > 16);          // evicted verdicts were computed again
        Assert.Equal(48, check.Verdicts.Misses + check.Verdicts.Hits);
    }

    [Fact]
    public void Wrong_lengths_are_refused_without_being_kept()
    {
        var check = new SodiumSignatureCheck();
        (byte[] key, byte[] header, byte[] signature) = SignedHeader(4);

        Assert.False(check.Verify(key[..31], header, signature));
        Assert.False(check.Verify(key, header, signature[..63]));
        Assert.False(check.Verify(key, header, [.. signature, 0]));

        Assert.Equal(0, check.Verdicts.Hits + check.Verdicts.Misses);
    }

    private static (byte[] Key, byte[] Header, byte[] Signature) SignedHeader(int seed)
    {
        var random = new Random(seed);
        byte[] keySeed = new byte[32];
        random.NextBytes(keySeed);
        using Ed25519Signer signer = Ed25519Signer.FromSeed(keySeed);
        byte[] header = new byte[90];                   // about the size of a precommit's signed bytes
        random.NextBytes(header);
        return (signer.PublicKey, header, signer.Sign(header));
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
