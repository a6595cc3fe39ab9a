using System;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// Pure Ed25519 (RFC 8032 §5.1: no context, no prehash). Hand-written because the meter's
    /// nanoFramework runtime has no Ed25519 (nor SHA-512); the gateway verifies with libsodium (NSec),
    /// so <see cref="Verify"/> applies exactly libsodium 1.0.22's crypto_sign_verify_detached rules:
    /// meter and gateway must never disagree about a signature.
    /// </summary>
    /// <remarks>
    /// The private key is the 32-byte RFC 8032 seed. Signing is deterministic and, as far as managed
    /// code allows, constant time in the secret: no secret-dependent branches or table indices.
    /// </remarks>
    public static class Ed25519
    {
        public const int SeedSize = 32;
        public const int PublicKeySize = 32;
        public const int SignatureSize = 64;

        // y-coordinates (bits 0..254 of an encoding) whose points have order 1, 2, 4 or 8, in every
        // 255-bit spelling: 0, 1, p - 1, p (= 0), p + 1 (= 1), and the two order-8 values. The same
        // list as libsodium's ge25519_has_small_order; the sign bit is ignored.
        private static readonly byte[][] SmallOrderEncodings =
        {
            Hex.Decode("0000000000000000000000000000000000000000000000000000000000000000"),
            Hex.Decode("0100000000000000000000000000000000000000000000000000000000000000"),
            Hex.Decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
            Hex.Decode("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
            Hex.Decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            Hex.Decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            Hex.Decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        };

        /// <exception cref="ArgumentException">seed is not 32 bytes.</exception>
        public static byte[] PublicKeyFromSeed(byte[] seed)
        {
            byte[] scalar = new byte[32];
            byte[] prefix = new byte[32];
            byte[] publicKey = Derive(seed, scalar, prefix);
            Array.Clear(scalar, 0, scalar.Length);
            Array.Clear(prefix, 0, prefix.Length);
            return publicKey;
        }

        /// <summary>RFC 8032 §5.1.6: the 64-byte signature R || S of message under the key derived from seed.</summary>
        /// <remarks>Derives the key on every call; a signer that signs repeatedly keeps an <see cref="Ed25519SigningKey"/>.</remarks>
        /// <exception cref="ArgumentException">seed is not 32 bytes.</exception>
        public static byte[] Sign(byte[] seed, byte[] message)
        {
            ArgumentNullException.ThrowIfNull(message);
            byte[] scalar = new byte[32];
            byte[] prefix = new byte[32];
            byte[] publicKey = Derive(seed, scalar, prefix);
            byte[] signature = SignDerived(scalar, prefix, publicKey, message);
            Array.Clear(scalar, 0, scalar.Length);
            Array.Clear(prefix, 0, prefix.Length);
            return signature;
        }

        /// <summary>
        /// RFC 8032 §5.1.5: fills the clamped scalar s and the nonce prefix (the two halves of SHA-512(seed)) and
        /// returns the public key [s]B.
        /// </summary>
        internal static byte[] Derive(byte[] seed, byte[] scalar, byte[] prefix)
        {
            CheckSeed(seed);
            byte[] expanded = Sha512.Hash(seed);
            Array.Copy(expanded, 0, scalar, 0, 32);
            scalar[0] &= 248;
            scalar[31] &= 127;
            scalar[31] |= 64;
            Array.Copy(expanded, 32, prefix, 0, 32);
            Array.Clear(expanded, 0, expanded.Length);
            return MultiplyBaseAndEncode(scalar);
        }

        /// <summary>RFC 8032 §5.1.6 steps 2-6 with the key already derived.</summary>
        internal static byte[] SignDerived(byte[] scalar, byte[] prefix, byte[] publicKey, byte[] message)
        {
            Sha512 sha = new Sha512();
            sha.Append(prefix, 0, 32);
            sha.Append(message);
            byte[] nonceHash = sha.Finish();
            byte[] nonce = Scalar25519.Reduce(nonceHash);
            byte[] r = MultiplyBaseAndEncode(nonce);

            byte[] k = ChallengeScalar(r, 0, publicKey, message);
            byte[] s = Scalar25519.MultiplyAdd(k, scalar, nonce);

            byte[] signature = new byte[SignatureSize];
            Array.Copy(r, 0, signature, 0, 32);
            Array.Copy(s, 0, signature, 32, 32);

            Array.Clear(nonceHash, 0, nonceHash.Length);
            Array.Clear(nonce, 0, nonce.Length);
            return signature;
        }

        /// <summary>
        /// True when signature is a valid signature of message under publicKey. Wrong lengths and any
        /// malformed input give false; only null arguments throw.
        /// </summary>
        /// <remarks>
        /// The rules, in libsodium 1.0.22's order: S &lt; L; R is not an encoding of a small-order point;
        /// A's y is canonical (below p); A is not an encoding of a small-order point; A decodes to a curve
        /// point; and the encoding of [S]B - [k]A, k = SHA-512(R || A || M) mod L, equals R byte for byte
        /// (cofactorless). The last step also rejects an R with y &gt;= p or a wrong sign bit, since an
        /// encoding computed here is always canonical.
        /// </remarks>
        public static bool Verify(byte[] publicKey, byte[] message, byte[] signature)
        {
            ArgumentNullException.ThrowIfNull(publicKey);
            ArgumentNullException.ThrowIfNull(message);
            ArgumentNullException.ThrowIfNull(signature);
            if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize) return false;

            if (!Scalar25519.IsCanonical(signature, 32)) return false;
            if (HasSmallOrderEncoding(signature, 0)) return false;
            if (!IsCanonicalPointEncoding(publicKey)) return false;
            if (HasSmallOrderEncoding(publicKey, 0)) return false;

            EdwardsArithmetic ops = new EdwardsArithmetic();
            ExtendedPoint a = new ExtendedPoint();
            int[] y = Field25519.New();
            Field25519.FromBytes(y, publicKey, 0);
            if (!ops.TryDecompress(a, y, publicKey[31] >> 7)) return false;

            byte[] k = ChallengeScalar(signature, 0, publicKey, message);
            byte[] s = new byte[32];
            Array.Copy(signature, 32, s, 0, 32);
            ExtendedPoint check = new ExtendedPoint();
            ScalarMultiplication.MultiplyDoubleVartime(check, s, k, a);
            byte[] expectedR = ops.Encode(check);
            for (int i = 0; i < 32; i++)
            {
                if (expectedR[i] != signature[i]) return false;
            }
            return true;
        }

        private static void CheckSeed(byte[] seed)
        {
            ArgumentNullException.ThrowIfNull(seed);
            if (seed.Length != SeedSize)
            {
                throw new ArgumentException("an Ed25519 seed is " + SeedSize + " bytes, not " + seed.Length, nameof(seed));
            }
        }

        private static byte[] MultiplyBaseAndEncode(byte[] scalar)
        {
            ExtendedPoint point = new ExtendedPoint();
            ScalarMultiplication.MultiplyBase(point, scalar);
            return new EdwardsArithmetic().Encode(point);
        }

        /// <summary>k = SHA-512(R || A || M) mod L, R being the 32 bytes at rOffset.</summary>
        private static byte[] ChallengeScalar(byte[] r, int rOffset, byte[] publicKey, byte[] message)
        {
            Sha512 sha = new Sha512();
            sha.Append(r, rOffset, 32);
            sha.Append(publicKey);
            sha.Append(message);
            return Scalar25519.Reduce(sha.Finish());
        }

        /// <summary>False when bits 0..254 encode a y of p or more (libsodium's ge25519_is_canonical).</summary>
        private static bool IsCanonicalPointEncoding(byte[] s)
        {
            // p = 2^255 - 19: the 255-bit numbers >= p are ed..ff ff .. ff 7f (sign bit ignored).
            if ((s[31] & 0x7f) != 0x7f) return true;
            for (int i = 30; i > 0; i--)
            {
                if (s[i] != 0xff) return true;
            }
            return s[0] < 0xed;
        }

        private static bool HasSmallOrderEncoding(byte[] s, int offset)
        {
            for (int e = 0; e < SmallOrderEncodings.Length; e++)
            {
                byte[] candidate = SmallOrderEncodings[e];
                int difference = (s[offset + 31] & 0x7f) ^ candidate[31];
                for (int i = 0; i < 31; i++) difference |= s[offset + i] ^ candidate[i];
                if (difference == 0) return true;
            }
            return false;
        }
    }
}
