using System;

namespace CommunityGrid.Protocol.Bytes
{
    /// <summary>Lower-case hexadecimal. Hand-written: nanoFramework's mscorlib has no Convert.ToHexString.</summary>
    public static class Hex
    {
        private static readonly char[] Digits = { '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f' };

        public static string Encode(byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            char[] chars = new char[data.Length * 2];
            for (int i = 0; i < data.Length; i++)
            {
                chars[2 * i] = Digits[data[i] >> 4];
                chars[2 * i + 1] = Digits[data[i] & 0xF];
            }
            return new string(chars);
        }

        /// <summary>Decodes hex digits (either case); surrounding white space is ignored.</summary>
        /// <exception cref="FormatException">odd length or a character that is not a hex digit.</exception>
        public static byte[] Decode(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            char[] trimmed = text.Trim().ToCharArray();
            if ((trimmed.Length & 1) != 0)
            {
                throw new FormatException("hex text has an odd number of digits (" + trimmed.Length + "); each byte needs two");
            }
            byte[] result = new byte[trimmed.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte)((DigitValue(trimmed, 2 * i) << 4) | DigitValue(trimmed, 2 * i + 1));
            }
            return result;
        }

        private static int DigitValue(char[] text, int index)
        {
            char c = text[index];
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            throw new FormatException("'" + c + "' at position " + index + " is not a hex digit");
        }
    }
}
