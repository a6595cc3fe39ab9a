using System.Security.Cryptography;
using NSec.Cryptography;

namespace CommunityGrid.Peering.TestSupport;

/// <summary>Fresh Ed25519 validator keys for tests: the seed a key file would hold and its public key.</summary>
public static class TestKeys
{
    public static (byte[] Seed, PeerKey Key) New()
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
        return (seed, PeerKey.FromBytes(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }
}
