using System;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// An Ed25519 private key with its RFC 8032 §5.1.5 derivation done once: the clamped scalar, the nonce prefix and
    /// the public key. Signing with it costs one base-point multiplication (the nonce point) instead of two, which is
    /// what a meter signs every reading with; <see cref="Ed25519.Sign"/> with a bare seed derives the key per call.
    /// Signatures are byte-identical to <see cref="Ed25519.Sign"/> (signing is deterministic).
    /// </summary>
    public sealed class Ed25519SigningKey
    {
        private readonly byte[] _scalar;
        private readonly byte[] _prefix;
        private readonly byte[] _publicKey;

        private Ed25519SigningKey(byte[] scalar, byte[] prefix, byte[] publicKey)
        {
            _scalar = scalar;
            _prefix = prefix;
            _publicKey = publicKey;
        }

        /// <exception cref="ArgumentException">seed is not 32 bytes.</exception>
        public static Ed25519SigningKey FromSeed(byte[] seed)
        {
            byte[] scalar = new byte[32];
            byte[] prefix = new byte[32];
            byte[] publicKey = Ed25519.Derive(seed, scalar, prefix);
            return new Ed25519SigningKey(scalar, prefix, publicKey);
        }

        /// <summary>A copy of the 32-byte public key (the COSE kid).</summary>
        public byte[] PublicKey
        {
            get
            {
                byte[] copy = new byte[Ed25519.PublicKeySize];
                Array.Copy(_publicKey, copy, copy.Length);
                return copy;
            }
        }

        /// <summary>RFC 8032 §5.1.6: the 64-byte signature R || S of message.</summary>
        public byte[] Sign(byte[] message)
        {
            ArgumentNullException.ThrowIfNull(message);
            return Ed25519.SignDerived(_scalar, _prefix, _publicKey, message);
        }
    }
}
