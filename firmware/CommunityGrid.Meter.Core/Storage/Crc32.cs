using System;

namespace CommunityGrid.Meter.Storage
{
    /// <summary>
    /// CRC-32 (IEEE 802.3, as in zip and PNG: reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF).
    /// It guards stored records against torn writes and flash bit errors, not against an attacker: readings
    /// carry their own Ed25519 signature. Bitwise, so no 1 KB table sits in the ESP32's RAM; records are small.
    /// </summary>
    public static class Crc32
    {
        public static uint Compute(byte[] data, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "range lies outside the array");
            }
            uint crc = 0xFFFFFFFF;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }
            return ~crc;
        }

        /// <summary>True when the last 4 bytes of data[offset .. offset+count) are the CRC-32 of the bytes before them.</summary>
        public static bool HasValidTrailer(byte[] data, int offset, int count)
        {
            if (count < 4) return false;
            return Compute(data, offset, count - 4) == BigEndian.ReadUInt32(data, offset + count - 4);
        }

        /// <summary>Writes the CRC-32 of data[offset .. offset+count-4) into its last 4 bytes.</summary>
        public static void WriteTrailer(byte[] data, int offset, int count)
        {
            if (count < 4) throw new ArgumentOutOfRangeException(nameof(count), "a sealed range holds at least its 4-byte CRC");
            BigEndian.WriteUInt32(data, offset + count - 4, Compute(data, offset, count - 4));
        }
    }
}
