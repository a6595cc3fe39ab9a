using System;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// Arithmetic modulo p = 2^255 - 19 for Ed25519. An element is an int[10] of signed limbs with
    /// alternating 26 and 25 bits (radix 2^25.5): products of two limbs fit in a long, and the device
    /// has no 128-bit type. Every operation takes its output first and tolerates aliasing.
    /// Nothing here branches on or indexes by an element's value, so secret values take constant time.
    /// </summary>
    internal static partial class Field25519
    {
        public const int LimbCount = 10;

        // Bit position of each limb's least significant bit: ceil(25.5 * i).
        private static readonly int[] LimbShift = { 0, 26, 51, 77, 102, 128, 153, 179, 204, 230 };

        /// <summary>The curve constant d = -121665 / 121666.</summary>
        public static readonly int[] D;

        /// <summary>2d, which the addition formula multiplies by.</summary>
        public static readonly int[] D2;

        /// <summary>A square root of -1 (2^((p-1)/4)), used when decompressing points.</summary>
        public static readonly int[] SqrtMinusOne;

        // Derived rather than written out in hex: the definitions are easier to check than 64 digits.
        static Field25519()
        {
            D = New();
            int[] denominator = FromInt(121666);
            Invert(D, denominator);
            Mul(D, D, FromInt(121665));
            Negate(D, D);
            CarryInPlace(D);

            D2 = New();
            Add(D2, D, D);
            CarryInPlace(D2);

            // (p - 1) / 4 = 2^253 - 5 = (2^250 - 1) * 2^3 + 3.
            SqrtMinusOne = New();
            int[] two = FromInt(2);
            int[] twoTo11 = New();
            PowTwo250MinusOne(SqrtMinusOne, twoTo11, two);
            SquareRepeatedly(SqrtMinusOne, SqrtMinusOne, 3);
            int[] eight = FromInt(8);
            Mul(SqrtMinusOne, SqrtMinusOne, eight);
        }

        public static int[] New() => new int[LimbCount];

        public static int[] FromInt(int value)
        {
            int[] h = New();
            h[0] = value;
            return h;
        }

        public static void SetZero(int[] h) => Array.Clear(h, 0, LimbCount);

        public static void SetOne(int[] h)
        {
            Array.Clear(h, 0, LimbCount);
            h[0] = 1;
        }

        public static void Copy(int[] h, int[] f) => Array.Copy(f, h, LimbCount);

        /// <summary>h = f + g without carrying: the result may be twice as wide as the inputs.</summary>
        public static void Add(int[] h, int[] f, int[] g)
        {
            for (int i = 0; i < LimbCount; i++) h[i] = f[i] + g[i];
        }

        /// <summary>h = f - g without carrying: the result may be twice as wide as the inputs.</summary>
        public static void Sub(int[] h, int[] f, int[] g)
        {
            for (int i = 0; i < LimbCount; i++) h[i] = f[i] - g[i];
        }

        public static void Negate(int[] h, int[] f)
        {
            for (int i = 0; i < LimbCount; i++) h[i] = -f[i];
        }

        /// <summary>Narrows the limbs of a sum or difference back to the range a product has.</summary>
        public static void CarryInPlace(int[] h)
        {
            Carry(h, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]);
        }

        /// <summary>f = g if move is 1, f unchanged if move is 0, without a branch.</summary>
        public static void ConditionalMove(int[] f, int[] g, int move)
        {
            int mask = -move;
            for (int i = 0; i < LimbCount; i++) f[i] ^= (f[i] ^ g[i]) & mask;
        }

        /// <summary>Reads a 255-bit little-endian number; bit 255 (the sign of x in a point encoding) is ignored.</summary>
        public static void FromBytes(int[] h, byte[] s, int offset)
        {
            for (int i = 0; i < LimbCount; i++)
            {
                int first = LimbShift[i] >> 3;
                ulong window = 0;
                for (int k = 0; k < 5 && first + k < 32; k++)
                {
                    window |= (ulong)s[offset + first + k] << (8 * k);
                }
                h[i] = (int)((window >> (LimbShift[i] & 7)) & ((1UL << LimbBits(i)) - 1));
            }
        }

        /// <summary>Writes the canonical encoding: the unique representative in [0, p), 32 bytes little-endian.</summary>
        public static void ToBytes(byte[] s, int offset, int[] f)
        {
            int[] h = New();
            Copy(h, f);

            // Two floor-carry passes leave every limb in [0, 2^bits), i.e. a value in [0, 2^255).
            // The first pass can push h0 a few multiples of 19 out of range; the second settles it.
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < LimbCount - 1; i++)
                {
                    int carry = h[i] >> LimbBits(i);
                    h[i] -= carry << LimbBits(i);
                    h[i + 1] += carry;
                }
                int top = h[9] >> 25;
                h[9] -= top << 25;
                h[0] += 19 * top;
            }

            // The value is now below 2^255 < 2p, so at most one p comes off. It does exactly when
            // value + 19 reaches 2^255: add 19 in that case and drop bit 255, both without a branch.
            int overflow = (h[0] + 19) >> 26;
            for (int i = 1; i < LimbCount; i++) overflow = (h[i] + overflow) >> LimbBits(i);
            h[0] += 19 * overflow;
            for (int i = 0; i < LimbCount - 1; i++)
            {
                int carry = h[i] >> LimbBits(i);
                h[i] -= carry << LimbBits(i);
                h[i + 1] += carry;
            }
            h[9] &= (1 << 25) - 1;

            ulong pending = 0;
            int pendingBits = 0;
            int o = offset;
            for (int i = 0; i < LimbCount; i++)
            {
                pending |= (ulong)(uint)h[i] << pendingBits;
                pendingBits += LimbBits(i);
                while (pendingBits >= 8)
                {
                    s[o++] = (byte)pending;
                    pending >>= 8;
                    pendingBits -= 8;
                }
            }
            s[o] = (byte)pending;
        }

        public static bool IsZero(int[] f)
        {
            byte[] s = new byte[32];
            ToBytes(s, 0, f);
            int any = 0;
            for (int i = 0; i < 32; i++) any |= s[i];
            return any == 0;
        }

        /// <summary>The "sign" of RFC 8032: the least significant bit of the canonical encoding.</summary>
        public static int IsNegative(int[] f)
        {
            byte[] s = new byte[32];
            ToBytes(s, 0, f);
            return s[0] & 1;
        }

        /// <summary>h = 1 / z, computed as z^(p-2); zero maps to zero.</summary>
        public static void Invert(int[] h, int[] z)
        {
            // p - 2 = 2^255 - 21 = (2^250 - 1) * 2^5 + 11.
            int[] zTo11 = New();
            int[] t = New();
            PowTwo250MinusOne(t, zTo11, z);
            SquareRepeatedly(t, t, 5);
            Mul(h, t, zTo11);
        }

        /// <summary>h = z^((p-5)/8), the exponentiation at the heart of the square root in point decompression.</summary>
        public static void PowPMinus5Over8(int[] h, int[] z)
        {
            // (p - 5) / 8 = 2^252 - 3 = (2^250 - 1) * 2^2 + 1.
            int[] zTo11 = New();
            int[] t = New();
            PowTwo250MinusOne(t, zTo11, z);
            SquareRepeatedly(t, t, 2);
            Mul(h, t, z);
        }

        private static int LimbBits(int i) => (i & 1) == 0 ? 26 : 25;

        private static void SquareRepeatedly(int[] h, int[] f, int times)
        {
            Square(h, f);
            for (int i = 1; i < times; i++) Square(h, h);
        }

        /// <summary>
        /// h = z^(2^250 - 1), and zTo11 = z^11 as a by-product. Builds z^(2^k - 1) for k = 5, 10, 20, 40,
        /// 50, 100, 200, 250, each from smaller ones: z^(2^(a+b) - 1) = (z^(2^a - 1))^(2^b) * z^(2^b - 1).
        /// </summary>
        private static void PowTwo250MinusOne(int[] h, int[] zTo11, int[] z)
        {
            int[] zSquared = New();
            int[] zTo9 = New();
            Square(zSquared, z);
            SquareRepeatedly(zTo9, zSquared, 2);
            Mul(zTo9, zTo9, z);
            Mul(zTo11, zTo9, zSquared);

            int[] k5 = New();
            Square(k5, zTo11);
            Mul(k5, k5, zTo9); // z^31 = z^(2^5 - 1)

            int[] k10 = New();
            SquareRepeatedly(k10, k5, 5);
            Mul(k10, k10, k5);

            int[] k20 = New();
            SquareRepeatedly(k20, k10, 10);
            Mul(k20, k20, k10);

            int[] k50 = New();
            SquareRepeatedly(k50, k20, 20);
            Mul(k50, k50, k20); // k40
            SquareRepeatedly(k50, k50, 10);
            Mul(k50, k50, k10);

            int[] k100 = New();
            SquareRepeatedly(k100, k50, 50);
            Mul(k100, k100, k50);

            SquareRepeatedly(h, k100, 100);
            Mul(h, h, k100); // k200
            SquareRepeatedly(h, h, 50);
            Mul(h, h, k50);
        }
    }
}
