using System;
using System.Numerics;

namespace CommunityGrid.Clearing.Arithmetic;

/// <summary>
/// An exact rational number, always stored reduced with a positive denominator, so equal values compare
/// and print identically on every machine. Prices such as the SDR price are rational even for integer
/// tariffs; keeping them exact until the one rounding step is what makes totals balance.
/// </summary>
public readonly struct Ratio : IEquatable<Ratio>, IComparable<Ratio>
{
    public Ratio(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("A ratio needs a non-zero denominator.");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!divisor.IsOne && !divisor.IsZero)
        {
            numerator /= divisor;
            denominator /= divisor;
        }

        Numerator = numerator;
        _denominator = denominator;
    }

    private readonly BigInteger _denominator;

    public BigInteger Numerator { get; }

    /// <summary>Always ≥ 1; a default-constructed value reads as 0/1.</summary>
    public BigInteger Denominator => _denominator.IsZero ? BigInteger.One : _denominator;

    public static Ratio Zero => new(BigInteger.Zero, BigInteger.One);

    public static Ratio FromInteger(BigInteger value) => new(value, BigInteger.One);

    public BigInteger Floor() => FloorDivide(Numerator, Denominator);

    public BigInteger Ceiling() => -FloorDivide(-Numerator, Denominator);

    /// <summary>Nearest integer, halves rounded up (towards +∞).</summary>
    public BigInteger RoundHalfUp() => FloorDivide(2 * Numerator + Denominator, 2 * Denominator);

    public static BigInteger FloorDivide(BigInteger numerator, BigInteger denominator)
    {
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        // BigInteger division truncates towards zero; floor needs one less when the signs differ.
        if (!remainder.IsZero && (remainder.Sign < 0) != (denominator.Sign < 0))
        {
            quotient -= 1;
        }

        return quotient;
    }

    public int CompareTo(Ratio other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public bool Equals(Ratio other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Ratio other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public override string ToString() => Denominator.IsOne ? Numerator.ToString() : $"{Numerator}/{Denominator}";

    public static bool operator ==(Ratio left, Ratio right) => left.Equals(right);

    public static bool operator !=(Ratio left, Ratio right) => !left.Equals(right);

    public static bool operator <(Ratio left, Ratio right) => left.CompareTo(right) < 0;

    public static bool operator >(Ratio left, Ratio right) => left.CompareTo(right) > 0;

    public static bool operator <=(Ratio left, Ratio right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Ratio left, Ratio right) => left.CompareTo(right) >= 0;
}
