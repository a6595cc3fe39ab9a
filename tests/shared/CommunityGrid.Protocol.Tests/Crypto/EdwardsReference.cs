using System;
using System.Numerics;
using System.Security.Cryptography;

namespace CommunityGrid.Protocol.Tests.Crypto
{
    /// <summary>
    /// Slow, obviously-correct edwards25519 and scalar arithmetic on BigInteger, straight from the
    /// curve equation, for building adversarial signatures the portable code is then tested on.
    /// </summary>
    internal static class EdwardsReference
    {
        public static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
        public static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");
        private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
        private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);

        public static BigInteger Mod(BigInteger a)
        {
            BigInteger r = a % P;
            return r.Sign < 0 ? r + P : r;
        }

        public static BigInteger Inverse(BigInteger a) => BigInteger.ModPow(Mod(a), P - 2, P);

        public static BigInteger FromLittleEndian(byte[] bytes) => new BigInteger(bytes, isUnsigned: true, isBigEndian: false);

        public static byte[] ToLittleEndian32(BigInteger value)
        {
            byte[] result = new byte[32];
            value.TryWriteBytes(result, out _, isUnsigned: true, isBigEndian: false);
            return result;
        }

        /// <summary>The secret scalar of a seed, as RFC 8032 §5.1.5 clamps it.</summary>
        public static BigInteger SecretScalar(byte[] seed)
        {
            byte[] h = SHA512.HashData(seed);
            h[0] &= 248;
            h[31] &= 127;
            h[31] |= 64;
            return FromLittleEndian(h.AsSpan(0, 32).ToArray());
        }

        /// <summary>SHA-512(R || A || M) mod L.</summary>
        public static BigInteger Challenge(byte[] r, byte[] publicKey, byte[] message)
        {
            byte[] input = new byte[64 + message.Length];
            r.CopyTo(input, 0);
            publicKey.CopyTo(input, 32);
            message.CopyTo(input, 64);
            return FromLittleEndian(SHA512.HashData(input)) % L;
        }

        public static (BigInteger X, BigInteger Y) Decode(byte[] encoding)
        {
            byte[] yBytes = (byte[])encoding.Clone();
            yBytes[31] &= 0x7f;
            BigInteger y = FromLittleEndian(yBytes);
            BigInteger x2 = Mod((y * y - 1) * Inverse(D * y * y + 1));
            BigInteger x = BigInteger.ModPow(x2, (P + 3) / 8, P);
            if (Mod(x * x - x2) != 0) x = Mod(x * SqrtMinusOne);
            if (Mod(x * x - x2) != 0) throw new ArgumentException("not a curve point");
            if ((int)(x & 1) != encoding[31] >> 7) x = Mod(-x);
            return (x, Mod(y));
        }

        public static byte[] Encode((BigInteger X, BigInteger Y) point)
        {
            byte[] result = ToLittleEndian32(point.Y);
            result[31] |= (byte)((int)(point.X & 1) << 7);
            return result;
        }

        public static (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) a, (BigInteger X, BigInteger Y) b)
        {
            BigInteger t = Mod(D * a.X * b.X * a.Y * b.Y);
            BigInteger x = Mod((a.X * b.Y + a.Y * b.X) * Inverse(1 + t));
            BigInteger y = Mod((a.Y * b.Y + a.X * b.X) * Inverse(1 - t));
            return (x, y);
        }
    }
}
