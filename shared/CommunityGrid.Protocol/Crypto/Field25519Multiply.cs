namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// Multiplication in GF(2^255 - 19), written out limb by limb because it is the hot loop of every
    /// signature: a loop with per-term branches runs several times slower.
    /// </summary>
    internal static partial class Field25519
    {
        /// <summary>h = f * g. h may be f or g. Input limbs must be at most 2^27 in magnitude.</summary>
        /// <remarks>
        /// Limb i has weight 2^ceil(25.5 i). A product f_i g_j therefore has weight 2^ceil(25.5 (i + j)),
        /// doubled when i and j are both odd (each rounds up by half a bit), and a weight of 2^255 or more
        /// wraps round to limb i + j - 10 multiplied by 19, because 2^255 = 19 (mod p).
        /// With |limbs| below 2^27 each sum stays below 2^62, so long accumulators cannot overflow.
        /// </remarks>
        public static void Mul(int[] h, int[] f, int[] g)
        {
            long f0 = f[0];
            long f1 = f[1];
            long f2 = f[2];
            long f3 = f[3];
            long f4 = f[4];
            long f5 = f[5];
            long f6 = f[6];
            long f7 = f[7];
            long f8 = f[8];
            long f9 = f[9];
            long g0 = g[0];
            long g1 = g[1];
            long g2 = g[2];
            long g3 = g[3];
            long g4 = g[4];
            long g5 = g[5];
            long g6 = g[6];
            long g7 = g[7];
            long g8 = g[8];
            long g9 = g[9];
            long f1x2 = 2 * f1;
            long f3x2 = 2 * f3;
            long f5x2 = 2 * f5;
            long f7x2 = 2 * f7;
            long f9x2 = 2 * f9;
            long g1x19 = 19 * g1;
            long g2x19 = 19 * g2;
            long g3x19 = 19 * g3;
            long g4x19 = 19 * g4;
            long g5x19 = 19 * g5;
            long g6x19 = 19 * g6;
            long g7x19 = 19 * g7;
            long g8x19 = 19 * g8;
            long g9x19 = 19 * g9;

long h0 = f0 * g0 + f1x2 * g9x19 + f2 * g8x19 + f3x2 * g7x19 + f4 * g6x19
                + f5x2 * g5x19 + f6 * g4x19 + f7x2 * g3x19 + f8 * g2x19 + f9x2 * g1x19;
            long h1 = f0 * g1 + f1 * g0 + f2 * g9x19 + f3 * g8x19 + f4 * g7x19
                + f5 * g6x19 + f6 * g5x19 + f7 * g4x19 + f8 * g3x19 + f9 * g2x19;
            long h2 = f0 * g2 + f1x2 * g1 + f2 * g0 + f3x2 * g9x19 + f4 * g8x19
                + f5x2 * g7x19 + f6 * g6x19 + f7x2 * g5x19 + f8 * g4x19 + f9x2 * g3x19;
            long h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9x19
                + f5 * g8x19 + f6 * g7x19 + f7 * g6x19 + f8 * g5x19 + f9 * g4x19;
            long h4 = f0 * g4 + f1x2 * g3 + f2 * g2 + f3x2 * g1 + f4 * g0
                + f5x2 * g9x19 + f6 * g8x19 + f7x2 * g7x19 + f8 * g6x19 + f9x2 * g5x19;
            long h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1
                + f5 * g0 + f6 * g9x19 + f7 * g8x19 + f8 * g7x19 + f9 * g6x19;
            long h6 = f0 * g6 + f1x2 * g5 + f2 * g4 + f3x2 * g3 + f4 * g2
                + f5x2 * g1 + f6 * g0 + f7x2 * g9x19 + f8 * g8x19 + f9x2 * g7x19;
            long h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3
                + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9x19 + f9 * g8x19;
            long h8 = f0 * g8 + f1x2 * g7 + f2 * g6 + f3x2 * g5 + f4 * g4
                + f5x2 * g3 + f6 * g2 + f7x2 * g1 + f8 * g0 + f9x2 * g9x19;
            long h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5
                + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;

            Carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
        }

        /// <summary>h = f * f, with the symmetric products computed once. h may be f.</summary>
        public static void Square(int[] h, int[] f)
        {
            long f0 = f[0];
            long f1 = f[1];
            long f2 = f[2];
            long f3 = f[3];
            long f4 = f[4];
            long f5 = f[5];
            long f6 = f[6];
            long f7 = f[7];
            long f8 = f[8];
            long f9 = f[9];
            long f0x2 = 2 * f0;
            long f1x2 = 2 * f1;
            long f2x2 = 2 * f2;
            long f3x2 = 2 * f3;
            long f4x2 = 2 * f4;
            long f5x2 = 2 * f5;
            long f6x2 = 2 * f6;
            long f7x2 = 2 * f7;
            long f8x2 = 2 * f8;
            long f5x19 = 19 * f5;
            long f6x19 = 19 * f6;
            long f7x19 = 19 * f7;
            long f8x19 = 19 * f8;
            long f9x19 = 19 * f9;
            long f7x38 = 38 * f7;
            long f9x38 = 38 * f9;

            long h0 = f0 * f0 + f1x2 * f9x38 + f2x2 * f8x19 + f3x2 * f7x38 + f4x2 * f6x19 + f5x2 * f5x19;
            long h1 = f0x2 * f1 + f2x2 * f9x19 + f3x2 * f8x19 + f4x2 * f7x19 + f5x2 * f6x19;
            long h2 = f0x2 * f2 + f1x2 * f1 + f3x2 * f9x38 + f4x2 * f8x19 + f5x2 * f7x38 + f6 * f6x19;
            long h3 = f0x2 * f3 + f1x2 * f2 + f4x2 * f9x19 + f5x2 * f8x19 + f6x2 * f7x19;
            long h4 = f0x2 * f4 + f1x2 * f3x2 + f2 * f2 + f5x2 * f9x38 + f6x2 * f8x19 + f7x2 * f7x19;
            long h5 = f0x2 * f5 + f1x2 * f4 + f2x2 * f3 + f6x2 * f9x19 + f7x2 * f8x19;
            long h6 = f0x2 * f6 + f1x2 * f5x2 + f2x2 * f4 + f3x2 * f3 + f7x2 * f9x38 + f8 * f8x19;
            long h7 = f0x2 * f7 + f1x2 * f6 + f2x2 * f5 + f3x2 * f4 + f8x2 * f9x19;
            long h8 = f0x2 * f8 + f1x2 * f7x2 + f2x2 * f6 + f3x2 * f5x2 + f4 * f4 + f9 * f9x38;
            long h9 = f0x2 * f9 + f1x2 * f8 + f2x2 * f7 + f3x2 * f6 + f4x2 * f5;

            Carry(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
        }

        /// <summary>
        /// Brings 64-bit limb sums back to 26/25-bit limbs. Rounding carries leave every limb within
        /// half its radix (|h_even| &lt;= 2^25, |h_odd| &lt;= 2^24, plus a few units from the final wrap),
        /// which is what keeps sums of a few results within Mul's input bound.
        /// </summary>
        private static void Carry(int[] h, long h0, long h1, long h2, long h3, long h4, long h5, long h6, long h7, long h8, long h9)
        {
            long c;
            c = (h0 + (1L << 25)) >> 26; h1 += c; h0 -= c << 26;
            c = (h1 + (1L << 24)) >> 25; h2 += c; h1 -= c << 25;
            c = (h2 + (1L << 25)) >> 26; h3 += c; h2 -= c << 26;
            c = (h3 + (1L << 24)) >> 25; h4 += c; h3 -= c << 25;
            c = (h4 + (1L << 25)) >> 26; h5 += c; h4 -= c << 26;
            c = (h5 + (1L << 24)) >> 25; h6 += c; h5 -= c << 25;
            c = (h6 + (1L << 25)) >> 26; h7 += c; h6 -= c << 26;
            c = (h7 + (1L << 24)) >> 25; h8 += c; h7 -= c << 25;
            c = (h8 + (1L << 25)) >> 26; h9 += c; h8 -= c << 26;
            c = (h9 + (1L << 24)) >> 25; h0 += 19 * c; h9 -= c << 25;
            c = (h0 + (1L << 25)) >> 26; h1 += c; h0 -= c << 26;
            h[0] = (int)h0;
            h[1] = (int)h1;
            h[2] = (int)h2;
            h[3] = (int)h3;
            h[4] = (int)h4;
            h[5] = (int)h5;
            h[6] = (int)h6;
            h[7] = (int)h7;
            h[8] = (int)h8;
            h[9] = (int)h9;
        }
    }
}
