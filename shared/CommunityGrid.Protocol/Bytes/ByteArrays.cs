using System;

namespace CommunityGrid.Protocol.Bytes
{
    /// <summary>Array helpers the device's mscorlib lacks (no Span, no LINQ, no Buffer).</summary>
    public static class ByteArrays
    {
        public static bool AreEqual(byte[] a, byte[] b)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }

        /// <summary>Equality whose running time does not depend on where the arrays differ (for signatures and MACs).</summary>
        public static bool ConstantTimeEquals(byte[] a, byte[] b)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            if (a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++)
            {
                diff |= a[i] ^ b[i];
            }
            return diff == 0;
        }

        public static byte[] Concat(byte[] a, byte[] b)
        {
            ArgumentNullException.ThrowIfNull(a);
            ArgumentNullException.ThrowIfNull(b);
            byte[] result = new byte[a.Length + b.Length];
            Array.Copy(a, 0, result, 0, a.Length);
            Array.Copy(b, 0, result, a.Length, b.Length);
            return result;
        }

        public static byte[] Slice(byte[] source, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(source);
            if (offset < 0 || count < 0 || offset + count > source.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "slice [" + offset + ", +" + count + ") lies outside an array of " + source.Length + " bytes");
            }
            byte[] result = new byte[count];
            Array.Copy(source, offset, result, 0, count);
            return result;
        }
    }
}
