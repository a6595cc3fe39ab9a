using System;

namespace CommunityGrid.Protocol.Bytes
{
    /// <summary>
    /// Strict UTF-8. Hand-written because nanoFramework's mscorlib has no System.Text; strict because
    /// CBOR text strings must be valid UTF-8 (RFC 8949 §3.1) and a lenient decoder would let two byte
    /// strings decode to one text.
    /// </summary>
    /// <remarks>
    /// Text is read through <c>ToCharArray()</c>, never the string indexer: on nanoFramework <c>s[i]</c> on the
    /// second half of a surrogate pair returns the first half again, which would make every character above U+FFFF
    /// look like an unpaired surrogate (the nano check refuses <c>String.get_Chars</c> in portable code).
    /// </remarks>
    public static class Utf8
    {
        public static byte[] Encode(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            char[] chars = text.ToCharArray();
            int length = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                int cp = CodePointAt(chars, ref i);
                length += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            }
            byte[] bytes = new byte[length];
            int o = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                int cp = CodePointAt(chars, ref i);
                if (cp < 0x80)
                {
                    bytes[o++] = (byte)cp;
                }
                else if (cp < 0x800)
                {
                    bytes[o++] = (byte)(0xC0 | (cp >> 6));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
                else if (cp < 0x10000)
                {
                    bytes[o++] = (byte)(0xE0 | (cp >> 12));
                    bytes[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    bytes[o++] = (byte)(0xF0 | (cp >> 18));
                    bytes[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    bytes[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
            }
            return bytes;
        }

        /// <exception cref="FormatException">the bytes are not well-formed UTF-8 (overlong, surrogate, truncated, &gt; U+10FFFF).</exception>
        public static string Decode(byte[] bytes, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            char[] chars = new char[count * 2];
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int b0 = bytes[i];
                int need;
                int cp;
                int min;
                if (b0 < 0x80) { need = 0; cp = b0; min = 0; }
                else if ((b0 & 0xE0) == 0xC0) { need = 1; cp = b0 & 0x1F; min = 0x80; }
                else if ((b0 & 0xF0) == 0xE0) { need = 2; cp = b0 & 0x0F; min = 0x800; }
                else if ((b0 & 0xF8) == 0xF0) { need = 3; cp = b0 & 0x07; min = 0x10000; }
                else throw new FormatException("invalid UTF-8 lead byte 0x" + b0.ToString("x2") + " at offset " + (i - offset));
                if (i + need >= end)
                {
                    throw new FormatException("truncated UTF-8 sequence at offset " + (i - offset));
                }
                for (int k = 1; k <= need; k++)
                {
                    int b = bytes[i + k];
                    if ((b & 0xC0) != 0x80) throw new FormatException("invalid UTF-8 continuation byte at offset " + (i + k - offset));
                    cp = (cp << 6) | (b & 0x3F);
                }
                if (cp < min) throw new FormatException("overlong UTF-8 encoding at offset " + (i - offset));
                if (cp >= 0xD800 && cp <= 0xDFFF) throw new FormatException("UTF-8 encodes a surrogate at offset " + (i - offset));
                if (cp > 0x10FFFF) throw new FormatException("UTF-8 code point above U+10FFFF at offset " + (i - offset));
                if (cp < 0x10000)
                {
                    chars[n++] = (char)cp;
                }
                else
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                i += need + 1;
            }
            return new string(chars, 0, n);
        }

        private static int CodePointAt(char[] text, ref int i)
        {
            char c = text[i];
            if (c >= 0xD800 && c <= 0xDBFF)
            {
                if (i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    return cp;
                }
                throw new ArgumentException("text has an unpaired high surrogate at index " + i + "; it cannot be encoded as UTF-8");
            }
            if (c >= 0xDC00 && c <= 0xDFFF)
            {
                throw new ArgumentException("text has an unpaired low surrogate at index " + i + "; it cannot be encoded as UTF-8");
            }
            return c;
        }
    }
}
