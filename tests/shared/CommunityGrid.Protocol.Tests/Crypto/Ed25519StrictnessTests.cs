using System;
using System.Numerics;
using CommunityGrid.Protocol.Bytes;
using NSec.Cryptography;
using Ed25519 = CommunityGrid.Protocol.Crypto.Ed25519;
using Ref = CommunityGrid.Protocol.Tests.Crypto.EdwardsReference;

namespace CommunityGrid.Protocol.Tests.Crypto
{
    /// <summary>
    /// Signatures on the edges of validity: the portable Verify must give libsodium's verdict on each,
    /// and each case is built so that a weaker rule than libsodium's would accept it.
    /// </summary>
    public class Ed25519StrictnessTests
    {
        private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
        private static readonly byte[] Seed = Hex.Decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

        // Every y of a point of order 1, 2, 4 or 8, in every 255-bit spelling (libsodium's blocklist).
        public static TheoryData<string> SmallOrderEncodings => new TheoryData<string>
        {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        };

        /// <summary>Verifies with both implementations, asserts they agree, and returns the verdict.</summary>
        private static bool BothVerify(byte[] publicKey, byte[] message, byte[] signature)
        {
            bool portable = Ed25519.Verify(publicKey, message, signature);
            bool libsodium = PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? key)
                && key != null && Algorithm.Verify(key, message, signature);
            Assert.True(portable == libsodium, "portable says " + portable + ", libsodium says " + libsodium
                + " for A " + Hex.Encode(publicKey) + ", M " + Hex.Encode(message) + ", sig " + Hex.Encode(signature));
            return portable;
        }

        private static byte[] Signature(byte[] r, BigInteger s)
        {
            return ByteArrays.Concat(r, Ref.ToLittleEndian32(s));
        }

        [Fact]
        public void ScalarAtOrAboveTheGroupOrderIsRejected()
        {
            byte[] publicKey = Ed25519.PublicKeyFromSeed(Seed);
            byte[] message = Utf8.Encode("meter 17: 2.315 kWh");
            byte[] signature = Ed25519.Sign(Seed, message);
            Assert.True(BothVerify(publicKey, message, signature));

            BigInteger s = Ref.FromLittleEndian(ByteArrays.Slice(signature, 32, 32));
            byte[] r = ByteArrays.Slice(signature, 0, 32);
            // S + L is the same scalar mod L, so only the S < L rule rejects it.
            Assert.False(BothVerify(publicKey, message, Signature(r, s + Ref.L)));
            Assert.False(BothVerify(publicKey, message, Signature(r, Ref.L)));
            Assert.False(BothVerify(publicKey, message, Signature(r, BigInteger.Pow(2, 256) - 1)));
            Assert.True(BothVerify(publicKey, message, Signature(r, s)));
        }

        [Fact]
        public void WrongLengthsReturnFalse()
        {
            byte[] publicKey = Ed25519.PublicKeyFromSeed(Seed);
            byte[] message = Utf8.Encode("x");
            byte[] signature = Ed25519.Sign(Seed, message);
            Assert.False(Ed25519.Verify(ByteArrays.Slice(publicKey, 0, 31), message, signature));
            Assert.False(Ed25519.Verify(ByteArrays.Concat(publicKey, new byte[1]), message, signature));
            Assert.False(Ed25519.Verify(new byte[0], message, signature));
            Assert.False(Ed25519.Verify(publicKey, message, ByteArrays.Slice(signature, 0, 63)));
            Assert.False(Ed25519.Verify(publicKey, message, ByteArrays.Concat(signature, new byte[1])));
            Assert.False(Ed25519.Verify(publicKey, message, new byte[0]));
        }

        [Fact]
        public void NullArgumentsThrowAndBadSeedsAreArgumentErrors()
        {
            byte[] ok = new byte[32];
            Assert.Throws<ArgumentNullException>(() => Ed25519.Verify(null!, ok, new byte[64]));
            Assert.Throws<ArgumentNullException>(() => Ed25519.Verify(ok, null!, new byte[64]));
            Assert.Throws<ArgumentNullException>(() => Ed25519.Verify(ok, ok, null!));
            Assert.Throws<ArgumentNullException>(() => Ed25519.Sign(null!, ok));
            Assert.Throws<ArgumentNullException>(() => Ed25519.Sign(ok, null!));
            Assert.Throws<ArgumentNullException>(() => Ed25519.PublicKeyFromSeed(null!));
            Assert.Throws<ArgumentException>(() => Ed25519.PublicKeyFromSeed(new byte[31]));
            Assert.Throws<ArgumentException>(() => Ed25519.Sign(new byte[33], ok));
        }

        /// <summary>
        /// A small-order public key with R = [S]B: whenever 8 divides k, [S]B - [k]A = R, so the equation
        /// holds and only the small-order rule rejects. Both sign-bit spellings are tried.
        /// </summary>
        [Theory]
        [MemberData(nameof(SmallOrderEncodings))]
        public void SmallOrderPublicKeysAreRejectedEvenWhenTheEquationHolds(string encoding)
        {
            BigInteger s = Ref.SecretScalar(Seed) % Ref.L;
            byte[] r = Ed25519.PublicKeyFromSeed(Seed);
            for (int signBit = 0; signBit < 2; signBit++)
            {
                byte[] publicKey = Hex.Decode(encoding);
                publicKey[31] |= (byte)(signBit << 7);
                byte[] message = MessageWithChallengeDivisibleBy8(r, publicKey);
                Assert.False(BothVerify(publicKey, message, Signature(r, s)));
            }
        }

        /// <summary>R = identity and S = k a: [S]B - [k]A = identity = R, so only the small-order rule on R rejects.</summary>
        [Fact]
        public void SmallOrderRIsRejectedEvenWhenTheEquationHolds()
        {
            byte[] publicKey = Ed25519.PublicKeyFromSeed(Seed);
            BigInteger a = Ref.SecretScalar(Seed);
            byte[] message = Utf8.Encode("identity R");
            foreach (string encoding in new[] { "0100000000000000000000000000000000000000000000000000000000000000", "0100000000000000000000000000000000000000000000000000000000000080" })
            {
                byte[] r = Hex.Decode(encoding);
                BigInteger k = Ref.Challenge(r, publicKey, message);
                Assert.False(BothVerify(publicKey, message, Signature(r, k * a % Ref.L)));
            }

            // Control: the same construction with an ordinary R = [n]B is a valid signature.
            byte[] nonceSeed = Sha256Of("nonce");
            byte[] ordinaryR = Ed25519.PublicKeyFromSeed(nonceSeed);
            BigInteger kOrdinary = Ref.Challenge(ordinaryR, publicKey, message);
            BigInteger sOrdinary = (Ref.SecretScalar(nonceSeed) + kOrdinary * a) % Ref.L;
            Assert.True(BothVerify(publicKey, message, Signature(ordinaryR, sOrdinary)));
        }

        /// <summary>
        /// A' = A + T, T of order 8: libsodium's check is cofactorless, so a signature made with A's secret
        /// but hashed with A' verifies exactly when 8 divides k ([k]T vanishes), and fails otherwise.
        /// A cofactored verifier would accept both.
        /// </summary>
        [Fact]
        public void MixedOrderPublicKeysFollowTheCofactorlessEquation()
        {
            var torsion = Ref.Decode(Hex.Decode("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));
            byte[] publicKey = Ed25519.PublicKeyFromSeed(Seed);
            byte[] mixedKey = Ref.Encode(Ref.Add(Ref.Decode(publicKey), torsion));
            BigInteger a = Ref.SecretScalar(Seed);
            byte[] nonceSeed = Sha256Of("mixed");
            byte[] r = Ed25519.PublicKeyFromSeed(nonceSeed);
            BigInteger n = Ref.SecretScalar(nonceSeed);

            int accepted = 0, rejected = 0;
            for (int i = 0; i < 64; i++)
            {
                byte[] message = Utf8.Encode("reading " + i);
                BigInteger k = Ref.Challenge(r, mixedKey, message);
                bool verdict = BothVerify(mixedKey, message, Signature(r, (n + k * a) % Ref.L));
                Assert.Equal(k % 8 == 0, verdict);
                if (verdict) accepted++;
                else rejected++;
            }
            Assert.True(accepted > 0 && rejected > 0);
        }

        [Fact]
        public void NonCanonicalPublicKeysAreRejected()
        {
            byte[] message = Utf8.Encode("m");
            byte[] signature = Ed25519.Sign(Seed, message);
            // y = p + 2 .. p + 18 (y >= p), with either sign bit; the blocklisted p and p + 1 are covered above.
            for (int low = 0xef; low <= 0xff; low++)
            {
                for (int signBit = 0; signBit < 2; signBit++)
                {
                    byte[] publicKey = Hex.Decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
                    publicKey[0] = (byte)low;
                    publicKey[31] |= (byte)(signBit << 7);
                    Assert.False(BothVerify(publicKey, message, signature));
                }
            }
        }

        [Fact]
        public void RandomGarbageNeverThrowsAndMatchesLibsodium()
        {
            Random random = new Random(25519);
            byte[] validKey = Ed25519.PublicKeyFromSeed(Seed);
            for (int i = 0; i < 500; i++)
            {
                byte[] publicKey = new byte[32];
                random.NextBytes(publicKey);
                if (i % 2 == 0) publicKey = validKey;
                byte[] signature = new byte[64];
                random.NextBytes(signature);
                // Keep S below L half the time so the point checks and the equation are reached.
                if (i % 4 < 2) signature[63] &= 0x0f;
                byte[] message = new byte[random.Next(0, 40)];
                random.NextBytes(message);
                Assert.False(BothVerify(publicKey, message, signature));
            }
        }

        private static byte[] MessageWithChallengeDivisibleBy8(byte[] r, byte[] publicKey)
        {
            for (int i = 0; ; i++)
            {
                byte[] message = Utf8.Encode("attempt " + i);
                if (Ref.Challenge(r, publicKey, message) % 8 == 0) return message;
            }
        }

        private static byte[] Sha256Of(string text) => System.Security.Cryptography.SHA256.HashData(Utf8.Encode(text));
    }
}
