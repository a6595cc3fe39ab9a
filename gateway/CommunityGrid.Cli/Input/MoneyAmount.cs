using System;

namespace CommunityGrid.Cli.Input;

/// <summary>
/// A money amount as a person writes it, in the community's currency units (<c>25</c>, <c>25.5</c>, <c>25.00</c>),
/// turned into the chain's integer minor units with the genesis's number of minor digits. Exact decimal arithmetic
/// on the digits (no floating point): an amount that is not a whole number of minor units is refused, never rounded.
/// </summary>
public static class MoneyAmount
{
    /// <summary>What the options' help and messages show as the form.</summary>
    public const string Form = "an amount in the community's currency units with a dot for decimals, e.g. 25 or 25.00";

    /// <summary>Checks the form only (before the currency's minor digits are known): null when it can be an amount, else what is wrong.</summary>
    public static string? CheckForm(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith('-')) return $"{option} {text}: an amount cannot be negative; give {Form}";
        int dot = text.IndexOf('.');
        string whole = dot < 0 ? text : text[..dot];
        string fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length == 0 || !AllDigits(whole) || dot >= 0 && (fraction.Length == 0 || !AllDigits(fraction)))
        {
            return $"{option} '{text}' is not an amount; give {Form} (no thousands separators, no currency sign)";
        }
        return null;
    }

    /// <summary>The amount in minor units, or null with <paramref name="problem"/> saying what is wrong and what to give.</summary>
    /// <param name="minorDigits">The genesis's <c>minorUnitDigits</c> (0..4): 2 makes 25.00 EUR 2500 minor units.</param>
    public static long? ToMinorUnits(string text, int minorDigits, string currency, string option, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (minorDigits is < 0 or > 18) throw new ArgumentOutOfRangeException(nameof(minorDigits), minorDigits, "minor digits are 0..4 in a genesis file");
        problem = CheckForm(text, option);
        if (problem is not null) return null;
        int dot = text.IndexOf('.');
        string whole = (dot < 0 ? text : text[..dot]).TrimStart('0');
        string fraction = dot < 0 ? "" : text[(dot + 1)..];
        string significant = fraction.TrimEnd('0');
        if (significant.Length > minorDigits)
        {
            string smallest = minorDigits == 0 ? "1" : "0." + new string('0', minorDigits - 1) + "1";
            problem = $"{option} {text} has {significant.Length} decimal(s), but {currency} amounts have {minorDigits} ({smallest} {currency} is the smallest); round it to {minorDigits} decimal(s)";
            return null;
        }
        string digits = whole + significant.PadRight(minorDigits, '0');
        long minor = 0;
        foreach (char c in digits)
        {
            // long.MaxValue / 10 bounds the step, so the check is exact without wrapping.
            if (minor > (long.MaxValue - (c - '0')) / 10)
            {
                problem = $"{option} {text} {currency} is too large for the chain (at most {long.MaxValue} minor units)";
                return null;
            }
            minor = minor * 10 + (c - '0');
        }
        return minor;
    }

    /// <summary>Minor units as currency units with every minor digit, e.g. 2500 with 2 digits as "25.00".</summary>
    public static string Format(long minorUnits, int minorDigits)
    {
        if (minorDigits == 0) return minorUnits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string digits = Math.Abs(minorUnits).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(minorDigits + 1, '0');
        return (minorUnits < 0 ? "-" : "") + digits[..^minorDigits] + "." + digits[^minorDigits..];
    }

    private static bool AllDigits(string text)
    {
        foreach (char c in text) if (c is < '0' or > '9') return false;
        return true;
    }
}
