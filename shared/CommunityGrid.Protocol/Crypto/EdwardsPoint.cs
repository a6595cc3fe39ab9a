namespace CommunityGrid.Protocol.Crypto
{
    /// <summary>
    /// A point of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in extended coordinates:
    /// x = X/Z, y = Y/Z, x*y = T/Z. Mutable so that scalar multiplication allocates nothing per step.
    /// </summary>
    internal sealed class ExtendedPoint
    {
        public readonly int[] X = Field25519.New();
        public readonly int[] Y = Field25519.New();
        public readonly int[] Z = Field25519.New();
        public readonly int[] T = Field25519.New();

        public ExtendedPoint()
        {
            SetIdentity();
        }

        public void SetIdentity()
        {
            Field25519.SetZero(X);
            Field25519.SetOne(Y);
            Field25519.SetOne(Z);
            Field25519.SetZero(T);
        }
    }

    /// <summary>
    /// A point prepared as the second operand of an addition: (Y+X, Y-X, Z, 2d*T). Negating it is a
    /// swap of the first two and a sign change of the last, which lets table lookups handle signed digits.
    /// </summary>
    internal sealed class CachedPoint
    {
        public readonly int[] YPlusX = Field25519.New();
        public readonly int[] YMinusX = Field25519.New();
        public readonly int[] Z = Field25519.New();
        public readonly int[] T2d = Field25519.New();

        public CachedPoint()
        {
            SetIdentity();
        }

        public void SetIdentity()
        {
            Field25519.SetOne(YPlusX);
            Field25519.SetOne(YMinusX);
            Field25519.SetOne(Z);
            Field25519.SetZero(T2d);
        }

        /// <summary>this = other if move is 1; unchanged if 0. No branch, for secret table indices.</summary>
        public void ConditionalMove(CachedPoint other, int move)
        {
            Field25519.ConditionalMove(YPlusX, other.YPlusX, move);
            Field25519.ConditionalMove(YMinusX, other.YMinusX, move);
            Field25519.ConditionalMove(Z, other.Z, move);
            Field25519.ConditionalMove(T2d, other.T2d, move);
        }
    }

    /// <summary>
    /// Group operations, with the scratch field elements they need: one instance per scalar
    /// multiplication keeps the meter's garbage collector out of the inner loop. Not thread-safe.
    /// The formulas are the complete ones for a = -1 (Hisil, Wong, Carter, Dawson 2008), valid for
    /// every pair of points including doubling and the identity, with no exceptional cases to branch on.
    /// </summary>
    internal sealed class EdwardsArithmetic
    {
        private readonly int[] _a = Field25519.New();
        private readonly int[] _b = Field25519.New();
        private readonly int[] _c = Field25519.New();
        private readonly int[] _d = Field25519.New();
        private readonly int[] _e = Field25519.New();
        private readonly int[] _f = Field25519.New();
        private readonly int[] _g = Field25519.New();
        private readonly int[] _h = Field25519.New();

        public void ToCached(CachedPoint r, ExtendedPoint p)
        {
            Field25519.Add(r.YPlusX, p.Y, p.X);
            Field25519.Sub(r.YMinusX, p.Y, p.X);
            Field25519.Copy(r.Z, p.Z);
            Field25519.Mul(r.T2d, p.T, Field25519.D2);
        }

        /// <summary>r = p + q; r may be p.</summary>
        public void Add(ExtendedPoint r, ExtendedPoint p, CachedPoint q)
        {
            Field25519.Sub(_a, p.Y, p.X);
            Field25519.Mul(_a, _a, q.YMinusX);
            Field25519.Add(_b, p.Y, p.X);
            Field25519.Mul(_b, _b, q.YPlusX);
            Field25519.Mul(_c, p.T, q.T2d);
            Field25519.Mul(_d, p.Z, q.Z);
            Field25519.Add(_d, _d, _d);
            Field25519.Sub(_f, _d, _c);
            Field25519.Add(_g, _d, _c);
            Finish(r);
        }

        /// <summary>r = p - q; r may be p. The addition above with q negated, i.e. its cached halves swapped.</summary>
        public void Subtract(ExtendedPoint r, ExtendedPoint p, CachedPoint q)
        {
            Field25519.Sub(_a, p.Y, p.X);
            Field25519.Mul(_a, _a, q.YPlusX);
            Field25519.Add(_b, p.Y, p.X);
            Field25519.Mul(_b, _b, q.YMinusX);
            Field25519.Mul(_c, p.T, q.T2d);
            Field25519.Mul(_d, p.Z, q.Z);
            Field25519.Add(_d, _d, _d);
            Field25519.Add(_f, _d, _c);
            Field25519.Sub(_g, _d, _c);
            Finish(r);
        }

        /// <summary>
        /// r = 2p; r may be p. Doubling never reads T, so a chain of doublings can skip computing it
        /// (computeT false) for all but the last, leaving r.T stale until then.
        /// </summary>
        public void Double(ExtendedPoint r, ExtendedPoint p, bool computeT)
        {
            // Computes the negatives of the textbook E, F, G, H: the signs cancel in every product.
            Field25519.Square(_a, p.X);
            Field25519.Square(_b, p.Y);
            Field25519.Square(_c, p.Z);
            Field25519.Add(_c, _c, _c);
            Field25519.Add(_h, _a, _b);
            Field25519.Add(_e, p.X, p.Y);
            Field25519.Square(_e, _e);
            Field25519.Sub(_e, _h, _e);
            Field25519.Sub(_g, _a, _b);
            Field25519.Add(_f, _c, _g);
            Field25519.CarryInPlace(_f);
            Field25519.Mul(r.X, _e, _f);
            Field25519.Mul(r.Y, _g, _h);
            if (computeT) Field25519.Mul(r.T, _e, _h);
            Field25519.Mul(r.Z, _f, _g);
        }

        /// <summary>RFC 8032 §5.1.2: y in 255 bits little-endian, the parity of x in bit 255.</summary>
        public byte[] Encode(ExtendedPoint p)
        {
            Field25519.Invert(_a, p.Z);
            Field25519.Mul(_b, p.X, _a);
            Field25519.Mul(_c, p.Y, _a);
            byte[] s = new byte[32];
            Field25519.ToBytes(s, 0, _c);
            s[31] |= (byte)(Field25519.IsNegative(_b) << 7);
            return s;
        }

        /// <summary>
        /// RFC 8032 §5.1.3 decoding of a point with the given y and x parity. Returns false when no x
        /// exists. Variable time: it is only used on public values (keys and the base point).
        /// The caller checks that y was canonically encoded.
        /// </summary>
        public bool TryDecompress(ExtendedPoint r, int[] y, int xParity)
        {
            // x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; candidate x = u v^3 (u v^7)^((p-5)/8).
            int[] u = _a, v = _b, v3 = _c, x = _d, check = _e;
            Field25519.Square(u, y);
            Field25519.Mul(v, u, Field25519.D);
            Field25519.Sub(u, u, One);
            Field25519.Add(v, v, One);
            Field25519.CarryInPlace(u);
            Field25519.CarryInPlace(v);
            Field25519.Square(v3, v);
            Field25519.Mul(v3, v3, v);
            Field25519.Square(x, v3);
            Field25519.Mul(x, x, v);
            Field25519.Mul(x, x, u);
            Field25519.PowPMinus5Over8(x, x);
            Field25519.Mul(x, x, v3);
            Field25519.Mul(x, x, u);

            Field25519.Square(check, x);
            Field25519.Mul(check, check, v);
            Field25519.Sub(_f, check, u);
            if (!Field25519.IsZero(_f))
            {
                Field25519.Add(_f, check, u);
                if (!Field25519.IsZero(_f)) return false;
                Field25519.Mul(x, x, Field25519.SqrtMinusOne);
            }
            if (Field25519.IsNegative(x) != xParity) Field25519.Negate(x, x);

            Field25519.Copy(r.X, x);
            Field25519.Copy(r.Y, y);
            Field25519.SetOne(r.Z);
            Field25519.Mul(r.T, x, y);
            return true;
        }

        private static readonly int[] One = Field25519.FromInt(1);

        // The tail shared by Add and Subtract: (E, F, G, H) = (B - A, F, G, B + A) into extended coordinates.
        private void Finish(ExtendedPoint r)
        {
            Field25519.Sub(_e, _b, _a);
            Field25519.Add(_h, _b, _a);
            Field25519.Mul(r.X, _e, _f);
            Field25519.Mul(r.Y, _g, _h);
            Field25519.Mul(r.T, _e, _h);
            Field25519.Mul(r.Z, _f, _g);
        }
    }
}
