using System;
using NSec.Cryptography;

namespace CommunityGrid.Formats.Signing
{
    /// <summary>
    /// An Ed25519 (RFC 8032) private key held by libsodium through NSec. Signatures are deterministic, so the
    /// same seed and message give the same 64 bytes as the meter's portable implementation.
    /// </summary>
    public sealed class Ed25519Signer : IDisposable
    {
        public const int SeedSize = 32;
        public const int PublicKeySize = 32;
        public const int SignatureSize = 64;

        private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
        private readonly Key key;

        private Ed25519Signer(Key key)
        {
            this.key = key;
            PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        }

        /// <summary>The 32-byte public key; COSE messages carry it as their kid.</summary>
        public byte[] PublicKey { get; }

        /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
        public static Ed25519Signer FromSeed(ReadOnlySpan<byte> seed)
        {
            if (seed.Length != SeedSize)
            {
                throw new ArgumentException($"an Ed25519 seed is {SeedSize} bytes, got {seed.Length}", nameof(seed));
            }
            return new Ed25519Signer(Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey));
        }

        /// <summary>A fresh random key (its seed never leaves libsodium).</summary>
        public static Ed25519Signer Generate() => new(Key.Create(Algorithm));

        public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(key, message);

        public void Dispose() => key.Dispose();
    }

    /// <summary>Ed25519 verification with libsodium (which rejects non-canonical and small-order encodings).</summary>
    public static class Ed25519Verifier
    {
        /// <summary>False for a wrong signature and for a malformed key or signature, never an exception.</summary>
        public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        {
            if (publicKey.Length != Ed25519Signer.PublicKeySize || signature.Length != Ed25519Signer.SignatureSize) return false;
            if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? key))
            {
                return false;
            }
            return SignatureAlgorithm.Ed25519.Verify(key!, message, signature);
        }
    }
}
