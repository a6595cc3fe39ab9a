using System;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// Arithmetic modulo the group order L = 2^252 + 27742317777372353535851937790883648493.
    /// Scalars are 32 bytes little-endian. Only a handful of these run per signature, so clarity and
    /// constant time win over speed: reduction is plain binary long division with branch-free subtraction.
    /// </summary>
    internal static class Scalar25519
    {
        private static readonly uint[] OrderWords =
        {
            0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0x00000000, 0x00000000, 0x00000000, 0x10000000,
        };

        /// <summary>True when the 32 bytes at offset encode a number below L (RFC 8032 §5.1.7 step 1).</summary>
        public static bool IsCanonical(byte[] s, int offset)
        {
            for (int word = 7; word >= 0; word--)
            {
                uint value = ReadWord(s, offset + 4 * word);
                if (value != OrderWords[word]) return value < OrderWords[word];
            }
            return false;
        }

        /// <summary>A 64-byte little-endian number (a SHA-512 digest) modulo L.</summary>
        public static byte[] Reduce(byte[] wide)
        {
            uint[] words = new uint[16];
            for (int i = 0; i < 16; i++) words[i] = ReadWord(wide, 4 * i);
            byte[] result = ReduceWords(words);
            Array.Clear(words, 0, words.Length);
            return result;
        }

        /// <summary>(a * b + c) mod L. a * b + c must stay below 2^512, which holds for 256-bit a, b and c below 2^255.</summary>
        public static byte[] MultiplyAdd(byte[] a, byte[] b, byte[] c)
        {
            uint[] x = new uint[8];
            uint[] y = new uint[8];
            uint[] wide = new uint[16];
            for (int i = 0; i < 8; i++)
            {
                x[i] = ReadWord(a, 4 * i);
                y[i] = ReadWord(b, 4 * i);
                wide[i] = ReadWord(c, 4 * i);
            }
            for (int i = 0; i < 8; i++)
            {
                // (2^32 - 1)^2 + 2 (2^32 - 1) = 2^64 - 1: the accumulator cannot overflow.
                ulong carry = 0;
                for (int j = 0; j < 8; j++)
                {
                    ulong t = (ulong)x[i] * y[j] + wide[i + j] + carry;
                    wide[i + j] = (uint)t;
                    carry = t >> 32;
                }
                // Earlier rows reach only word i + 7, so word i + 8 is still free for this row's carry.
                wide[i + 8] = (uint)carry;
            }
            byte[] result = ReduceWords(wide);
            Array.Clear(x, 0, 8);
            Array.Clear(y, 0, 8);
            Array.Clear(wide, 0, 16);
            return result;
        }

        /// <summary>
        /// Bit-by-bit remainder: r = 2r + next bit, minus L when that does not go negative. r stays below
        /// L < 2^253, so 8 words hold it. The subtraction is always computed and selected by mask, so the
        /// running time does not depend on the (secret) value.
        /// </summary>
        private static byte[] ReduceWords(uint[] words)
        {
            uint[] r = new uint[8];
            uint[] difference = new uint[8];
            for (int bit = 32 * words.Length - 1; bit >= 0; bit--)
            {
                for (int i = 7; i > 0; i--) r[i] = (r[i] << 1) | (r[i - 1] >> 31);
                r[0] = (r[0] << 1) | ((words[bit >> 5] >> (bit & 31)) & 1);

                long borrow = 0;
                for (int i = 0; i < 8; i++)
                {
                    long t = (long)r[i] - OrderWords[i] - borrow;
                    difference[i] = (uint)t;
                    borrow = (t >> 32) & 1;
                }
                // borrow = 1: r < L, keep r; borrow = 0: take r - L.
                uint keep = (uint)-borrow;
                for (int i = 0; i < 8; i++) r[i] = (r[i] & keep) | (difference[i] & ~keep);
            }

            byte[] result = new byte[32];
            for (int i = 0; i < 8; i++)
            {
                result[4 * i] = (byte)r[i];
                result[4 * i + 1] = (byte)(r[i] >> 8);
                result[4 * i + 2] = (byte)(r[i] >> 16);
                result[4 * i + 3] = (byte)(r[i] >> 24);
            }
            Array.Clear(r, 0, 8);
            Array.Clear(difference, 0, 8);
            return result;
        }

        private static uint ReadWord(byte[] s, int offset) =>
            s[offset] | ((uint)s[offset + 1] << 8) | ((uint)s[offset + 2] << 16) | ((uint)s[offset + 3] << 24);
    }
}
