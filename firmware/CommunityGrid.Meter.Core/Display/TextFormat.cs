using System;

namespace CommunityGrid.Meter.Display
{
    /// <summary>
    /// Culture-free number formatting and ASCII fitting for character LCDs. The device has no CultureInfo and
    /// no StringBuilder, and on a PC the current culture may use another minus sign or digit grouping, so digits
    /// are produced by hand and the output is the same everywhere.
    /// </summary>
    public static class TextFormat
    {
        /// <summary>Decimal digits of <paramref name="value"/>, "-" for negatives, no grouping.</summary>
        public static string Integer(long value)
        {
            return Fixed(value, 0);
        }

        /// <summary>The value scaled down by 10^decimals, with exactly that many decimals: (12345, 3) gives "12.345", (-5, 2) gives "-0.05".</summary>
        public static string Fixed(long value, int decimals)
        {
            if (decimals < 0 || decimals > 18) throw new ArgumentOutOfRangeException(nameof(decimals), "0..18 decimals");
            bool negative = value < 0;
            // Work on the negative side: it holds long.MinValue, which has no positive counterpart.
            long rest = negative ? value : -value;
            char[] digits = new char[21 + 1];
            int position = digits.Length;
            int written = 0;
            while (rest != 0 || written <= decimals)
            {
                if (written == decimals && decimals > 0) digits[--position] = '.';
                long quotient = rest / 10;
                digits[--position] = (char)('0' + (int)(quotient * 10 - rest));
                rest = quotient;
                written++;
            }
            if (negative) digits[--position] = '-';
            return new string(digits, position, digits.Length - position);
        }

        /// <summary>Two-digit hours and minutes of the time of day, e.g. "14:15" (of UTC, or of local seconds from a <c>PosixTimeZone</c>).</summary>
        public static string UtcClock(long unixSeconds)
        {
            long secondOfDay = unixSeconds % 86400;
            if (secondOfDay < 0) secondOfDay += 86400;
            return TwoDigits(secondOfDay / 3600) + ":" + TwoDigits(secondOfDay / 60 % 60);
        }

        /// <summary>Exactly <paramref name="width"/> printable ASCII characters: cut or padded with spaces; anything else becomes '?'.</summary>
        public static string Fit(string text, int width)
        {
            char[] line = new char[width];
            char[] chars = text.ToCharArray();
            for (int i = 0; i < width; i++)
            {
                line[i] = i < chars.Length ? Printable(chars[i]) : ' ';
            }
            return new string(line);
        }

        /// <summary>
        /// Label on the left, value on the right, exactly <paramref name="width"/> wide. The value wins: the label is
        /// cut to leave one space; a value wider than the line shows as '#' marks rather than a misleading stump.
        /// </summary>
        public static string LabelValue(string label, string value, int width)
        {
            if (value.Length > width) return Fit(new string('#', width), width);
            int labelRoom = width - value.Length - (value.Length > 0 ? 1 : 0);
            if (labelRoom < 0) labelRoom = 0;
            string left = Fit(label, labelRoom);
            string gap = Fit("", width - labelRoom - value.Length);
            return left + gap + Fit(value, value.Length);
        }

        /// <summary>Three upper-case ASCII letters, or "???" when the configured code is anything else.</summary>
        public static string CurrencyCode(string? code)
        {
            if (code == null || code.Length != 3) return "???";
            char[] letters = code.ToCharArray();
            for (int i = 0; i < 3; i++)
            {
                char c = letters[i];
                if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
                if (c < 'A' || c > 'Z') return "???";
                letters[i] = c;
            }
            return new string(letters);
        }

        private static char Printable(char c)
        {
            // HD44780 ROM A00 matches ASCII only in 0x20..0x7D, except 0x5C, which is a yen sign there;
            // 0x7E and 0x7F are arrows.
            return c >= ' ' && c <= '}' && c != '\\' ? c : '?';
        }

        private static string TwoDigits(long value)
        {
            return value < 10 ? "0" + Integer(value) : Integer(value);
        }
    }
}
