namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// Non-negative whole numbers as an installer writes them: decimal digits, or 0x and hex digits. Written out by
    /// hand because int.Parse depends on culture settings on .NET and throws on nanoFramework instead of answering.
    /// </summary>
    public static class WholeNumber
    {
        /// <summary>Up to 15 digits: far beyond any setting, and far below overflow of a long.</summary>
        public const int MaxDigits = 15;

        public static bool TryParse(string text, out long value)
        {
            value = 0;
            char[] chars = text.ToCharArray();
            bool hex = chars.Length > 2 && chars[0] == '0' && (chars[1] == 'x' || chars[1] == 'X');
            int start = hex ? 2 : 0;
            if (chars.Length == start || chars.Length - start > MaxDigits) return false;
            for (int i = start; i < chars.Length; i++)
            {
                int digit = DigitValue(chars[i], hex ? 16 : 10);
                if (digit < 0) return false;
                value = value * (hex ? 16 : 10) + digit;
            }
            return true;
        }

        private static int DigitValue(char c, int radix)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (radix == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (radix == 16 && c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
