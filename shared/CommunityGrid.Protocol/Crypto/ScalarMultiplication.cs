using System;

namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// Scalar multiplication on edwards25519 with signed 4-bit windows: a scalar below 2^255 is written
    /// as 64 digits in [-8, 8], so a table of 8 multiples covers every digit (negatives by negating).
    /// </summary>
    /// <remarks>
    /// The base point gets two tables, [1..8]B and [1..8]([2^128]B), built once on first use: the low and
    /// high halves of the scalar then share one chain of 124 doublings instead of 252. They take about
    /// 2.6 KB. The meter has ~100 KB of heap, so the usual 30 KB comb tables are out of the question;
    /// doubling the number of tables would halve the doublings again, at 1.3 KB per table.
    /// </remarks>
    internal static class ScalarMultiplication
    {
        private const int TableSize = 8;
        private const int DigitCount = 64;
        private const int BaseTableCount = 2;
        private const int DigitsPerBaseTable = DigitCount / BaseTableCount;

        /// <summary>BaseTables[t] = [1..8]([16^(32 t)]B) for the base point B of RFC 8032 §5.1.</summary>
        private static readonly CachedPoint[][] BaseTables;

        static ScalarMultiplication()
        {
            // B is the point with y = 4/5 and even x.
            int[] y = Field25519.New();
            Field25519.Invert(y, Field25519.FromInt(5));
            Field25519.Mul(y, y, Field25519.FromInt(4));
            EdwardsArithmetic ops = new EdwardsArithmetic();
            ExtendedPoint point = new ExtendedPoint();
            if (!ops.TryDecompress(point, y, 0))
            {
                throw new InvalidOperationException("the Ed25519 base point did not decompress: field arithmetic is broken");
            }
            BaseTables = new CachedPoint[BaseTableCount][];
            for (int t = 0; t < BaseTableCount; t++)
            {
                if (t > 0)
                {
                    for (int i = 0; i < 4 * DigitsPerBaseTable; i++) ops.Double(point, point, i == 4 * DigitsPerBaseTable - 1);
                }
                BaseTables[t] = Multiples(ops, point);
            }
        }

        /// <summary>r = [scalar]B in constant time. The 32-byte little-endian scalar must be below 2^255.</summary>
        public static void MultiplyBase(ExtendedPoint r, byte[] scalar)
        {
            int[] digits = RecodeSignedRadix16(scalar);
            EdwardsArithmetic ops = new EdwardsArithmetic();
            CachedPoint selected = new CachedPoint();
            int[] scratch = Field25519.New();
            r.SetIdentity();
            for (int j = DigitsPerBaseTable - 1; j >= 0; j--)
            {
                if (j != DigitsPerBaseTable - 1) QuadrupleDouble(ops, r);
                for (int t = 0; t < BaseTableCount; t++)
                {
                    SelectConstantTime(selected, BaseTables[t], digits[t * DigitsPerBaseTable + j], scratch);
                    ops.Add(r, r, selected);
                }
            }
            Array.Clear(digits, 0, DigitCount);
            Array.Clear(scratch, 0, scratch.Length);
        }

        /// <summary>
        /// r = [s]B - [k]A, interleaving both multiplications so they share one chain of doublings
        /// (Straus). Variable time: verification handles only public values.
        /// </summary>
        public static void MultiplyDoubleVartime(ExtendedPoint r, byte[] s, byte[] k, ExtendedPoint a)
        {
            int[] sDigits = RecodeSignedRadix16(s);
            int[] kDigits = RecodeSignedRadix16(k);
            EdwardsArithmetic ops = new EdwardsArithmetic();
            CachedPoint[] aMultiples = Multiples(ops, a);

            int top = DigitCount - 1;
            while (top >= 0 && sDigits[top] == 0 && kDigits[top] == 0) top--;
            r.SetIdentity();
            for (int i = top; i >= 0; i--)
            {
                if (i != top) QuadrupleDouble(ops, r);
                int sDigit = sDigits[i];
                if (sDigit > 0) ops.Add(r, r, BaseTables[0][sDigit - 1]);
                else if (sDigit < 0) ops.Subtract(r, r, BaseTables[0][-sDigit - 1]);
                int kDigit = kDigits[i];
                if (kDigit > 0) ops.Subtract(r, r, aMultiples[kDigit - 1]);
                else if (kDigit < 0) ops.Add(r, r, aMultiples[-kDigit - 1]);
            }
        }

        /// <summary>r = [16]r. Only the last doubling computes T, the one coordinate doubling does not read.</summary>
        private static void QuadrupleDouble(EdwardsArithmetic ops, ExtendedPoint r)
        {
            ops.Double(r, r, false);
            ops.Double(r, r, false);
            ops.Double(r, r, false);
            ops.Double(r, r, true);
        }

        /// <summary>[1]P .. [8]P, prepared for addition.</summary>
        private static CachedPoint[] Multiples(EdwardsArithmetic ops, ExtendedPoint p)
        {
            CachedPoint[] table = new CachedPoint[TableSize];
            table[0] = new CachedPoint();
            ops.ToCached(table[0], p);
            ExtendedPoint sum = new ExtendedPoint();
            ops.Add(sum, sum, table[0]);
            for (int i = 1; i < TableSize; i++)
            {
                ops.Add(sum, sum, table[0]);
                table[i] = new CachedPoint();
                ops.ToCached(table[i], sum);
            }
            return table;
        }

        /// <summary>
        /// Digits d[0..63] in [-8, 8) (the last in [0, 8]) with scalar = sum d[i] 16^i. Arithmetic only,
        /// no branches, because the scalar may be secret.
        /// </summary>
        private static int[] RecodeSignedRadix16(byte[] scalar)
        {
            int[] digits = new int[DigitCount];
            for (int i = 0; i < 32; i++)
            {
                digits[2 * i] = scalar[i] & 15;
                digits[2 * i + 1] = scalar[i] >> 4;
            }
            int carry = 0;
            for (int i = 0; i < DigitCount - 1; i++)
            {
                digits[i] += carry;
                carry = (digits[i] + 8) >> 4;
                digits[i] -= carry << 4;
            }
            digits[DigitCount - 1] += carry;
            return digits;
        }

        /// <summary>
        /// r = [digit]P from table = [1]P .. [8]P, touching every entry with masked moves so neither the
        /// memory access pattern nor the timing reveals the (secret) digit.
        /// </summary>
        private static void SelectConstantTime(CachedPoint r, CachedPoint[] table, int digit, int[] scratch)
        {
            int negative = (digit >> 31) & 1;
            int magnitude = digit - ((2 * digit) & -negative);
            r.SetIdentity();
            for (int i = 1; i <= TableSize; i++)
            {
                r.ConditionalMove(table[i - 1], IsEqual(magnitude, i));
            }
            // -(Y+X, Y-X, Z, 2dT) = (Y-X, Y+X, Z, -2dT).
            Field25519.Copy(scratch, r.YPlusX);
            Field25519.ConditionalMove(r.YPlusX, r.YMinusX, negative);
            Field25519.ConditionalMove(r.YMinusX, scratch, negative);
            Field25519.Negate(scratch, r.T2d);
            Field25519.ConditionalMove(r.T2d, scratch, negative);
        }

        /// <summary>1 if a == b, else 0, for small non-negative ints, without a branch.</summary>
        private static int IsEqual(int a, int b) => (((a ^ b) - 1) >> 31) & 1;
    }
}
