using System;

namespace CommunityGrid.Meter.Modbus
{
    /// <summary>
    /// CRC-16/MODBUS: reflected polynomial 0xA001, initial value 0xFFFF, no final XOR; sent low byte
    /// first. Bitwise rather than table-driven: 8 steps per byte is cheap for frames of a few dozen
    /// bytes, and it keeps 512 bytes of table out of the ESP32's RAM.
    /// </summary>
    public static class ModbusCrc
    {
        public static int Compute(byte[] data, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (offset < 0 || count < 0 || offset + count > data.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "range lies outside the array");
            }
            int crc = 0xFFFF;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
                }
            }
            return crc;
        }

        /// <summary>Writes the CRC of data[0 .. length) into data[length], data[length+1] (low byte first).</summary>
        public static void Append(byte[] frame, int length)
        {
            int crc = Compute(frame, 0, length);
            frame[length] = (byte)crc;
            frame[length + 1] = (byte)(crc >> 8);
        }

        /// <summary>True when the last two bytes of data[0 .. length) are the CRC of the bytes before them.</summary>
        public static bool IsValid(byte[] frame, int length)
        {
            if (length < 3)
            {
                return false;
            }
            int crc = Compute(frame, 0, length - 2);
            return frame[length - 2] == (byte)crc && frame[length - 1] == (byte)(crc >> 8);
        }
    }
}
