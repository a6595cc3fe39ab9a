using System;
using NSec.Cryptography;

namespace CommunityGrid.Peering.Handshake;

/// <summary>This node's validator key (Ed25519 through NSec/libsodium), used only to sign handshake transcripts.</summary>
internal sealed class LocalIdentity : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key key;

    public PeerKey PublicKey { get; }

    public LocalIdentity(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException($"an Ed25519 seed is 32 bytes, not {seed.Length}", nameof(seed));
        }
        key = Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
        PublicKey = PeerKey.FromBytes(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public byte[] Sign(byte[] data) => Algorithm.Sign(key, data);

    public static bool Verify(PeerKey signer, byte[] data, byte[] signature)
    {
        if (!NSec.Cryptography.PublicKey.TryImport(Algorithm, signer.Bytes, KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? publicKey))
        {
            return false;
        }
        return Algorithm.Verify(publicKey!, data, signature);
    }

    public void Dispose() => key.Dispose();
}
