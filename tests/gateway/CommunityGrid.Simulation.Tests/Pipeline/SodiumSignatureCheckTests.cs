using System;
using System.Collections.Generic;
using System.Numerics;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Simulation.Pipeline;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// The simulated light clients check commit signatures with libsodium (<see cref="SodiumSignatureCheck"/>); a meter
/// uses the portable Ed25519 (<see cref="PortableSignatureCheck"/>). Both must judge every input alike: genuine
/// signatures, every single-bit change of key, message and signature, a non-canonical S (S + L), small-order keys and
/// R values, a key with y ≥ p, and wrong lengths. (tests/shared/…/Ed25519StrictnessTests holds the portable code to
/// libsodium on the full set of edge constructions.)
/// </summary>
public class SodiumSignatureCheckTests
{
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    private static readonly string[] SmallOrder =
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];

    [Fact]
    public void Genuine_signatures_and_every_single_bit_change_get_the_same_verdict()
    {
        var sodium = new SodiumSignatureCheck();
        var random = new Random(15);
        int accepted = 0, refused = 0;
        for (int n = 0; n < 4; n++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            using Ed25519Signer signer = Ed25519Signer.FromSeed(seed);
            byte[] message = new byte[60 + n * 13];     // about the size of a precommit's signed bytes
            random.NextBytes(message);
            byte[] signature = signer.Sign(message);
            foreach ((byte[] key, byte[] msg, byte[] sig) in Variants(signer.PublicKey, message, signature))
            {
                bool verdict = Same(sodium, key, msg, sig);
                if (verdict) accepted++;
                else refused++;
            }
        }
        Assert.Equal(4, accepted);                     // only the untouched ones
        Assert.True(refused > 4 * (32 + 64) * 8);
    }

    [Fact]
    public void Non_canonical_S_small_order_points_and_bad_lengths_get_the_same_verdict()
    {
        var sodium = new SodiumSignatureCheck();
        using Ed25519Signer signer = Ed25519Signer.FromSeed(new byte[32]);
        byte[] message = "precommit"u8.ToArray();
        byte[] signature = signer.Sign(message);
        Assert.True(Same(sodium, signer.PublicKey, message, signature));

        // S + L: the same point equation, but S >= L must be refused.
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: false) + L;
        byte[] noncanonical = (byte[])signature.Clone();
        s.TryWriteBytes(noncanonical.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: false);
        Assert.False(Same(sodium, signer.PublicKey, message, noncanonical));

        foreach (string hex in SmallOrder)
        {
            byte[] point = Convert.FromHexString(hex);
            Assert.False(Same(sodium, point, message, signature));
            byte[] smallR = (byte[])signature.Clone();
            Array.Copy(point, smallR, 32);
            Assert.False(Same(sodium, signer.PublicKey, message, smallR));
        }
        // A key whose y is >= p (here p + 2, a valid y spelled non-canonically).
        byte[] high = Convert.FromHexString("efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(Same(sodium, high, message, signature));

        Assert.False(Same(sodium, signer.PublicKey[..31], message, signature));
        Assert.False(Same(sodium, signer.PublicKey, message, signature[..63]));
    }

    private static bool Same(SodiumSignatureCheck sodium, byte[] key, byte[] message, byte[] signature)
    {
        bool portable = PortableSignatureCheck.Instance.Verify(key, message, signature);
        Assert.True(portable == sodium.Verify(key, message, signature),
            $"portable says {portable} for key {Convert.ToHexString(key)}, signature {Convert.ToHexString(signature)}");
        return portable;
    }

    private static IEnumerable<(byte[] Key, byte[] Message, byte[] Signature)> Variants(byte[] key, byte[] message, byte[] signature)
    {
        yield return (key, message, signature);
        for (int bit = 0; bit < key.Length * 8; bit++) yield return (Flip(key, bit), message, signature);
        for (int bit = 0; bit < message.Length * 8; bit++) yield return (key, Flip(message, bit), signature);
        for (int bit = 0; bit < signature.Length * 8; bit++) yield return (key, message, Flip(signature, bit));
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
