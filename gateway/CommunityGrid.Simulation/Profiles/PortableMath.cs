using System;

namespace CommunityGrid.Simulation.Profiles;

/// <summary>
/// sin, cos and exp from IEEE-754 additions, multiplications and divisions only. Those basic operations are
/// correctly rounded on every platform (and .NET does not contract them into fused multiply-adds), whereas
/// Math.Sin/Math.Exp come from the platform's C library and may differ in the last bit between machines. A last-bit
/// difference can flip the rounding of a Wh value, so profile generation uses these to stay bit-reproducible.
/// Accuracy (better than 1e-13 relative) is far beyond what a load or PV profile needs.
/// </summary>
public static class PortableMath
{
    public const double Pi = 3.141592653589793;
    private const double TwoPiHigh = 6.28318530717958623;     // 2π split in two for an accurate reduction
    private const double TwoPiLow = 2.4492935982947064e-16;
    private const double Ln2High = 0.6931471803691238;
    private const double Ln2Low = 1.9082149292705877e-10;

    public static double Sin(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x)) return double.NaN;
        double k = Math.Round(x / TwoPiHigh);
        double r = (x - k * TwoPiHigh) - k * TwoPiLow;          // r in about [-π, π]
        if (r > Pi / 2) r = Pi - r;
        else if (r < -Pi / 2) r = -Pi - r;                      // sin(π - r) = sin r; r now in [-π/2, π/2]
        double r2 = r * r;
        double term = r, sum = r;
        for (int n = 1; n <= 11; n++)
        {
            term = -term * r2 / ((2 * n) * (2 * n + 1));
            sum += term;
        }
        return sum;
    }

    public static double Cos(double x) => Sin(x + Pi / 2);

    public static double Exp(double x)
    {
        if (x > 700) return double.PositiveInfinity;
        if (x < -700) return 0;
        double k = Math.Round(x / (Ln2High + Ln2Low));
        double r = (x - k * Ln2High) - k * Ln2Low;              // |r| <= ln2 / 2
        double term = 1, sum = 1;
        for (int n = 1; n <= 16; n++)
        {
            term = term * r / n;
            sum += term;
        }
        return Math.ScaleB(sum, (int)k);                        // exact: multiplies by a power of two
    }
}
