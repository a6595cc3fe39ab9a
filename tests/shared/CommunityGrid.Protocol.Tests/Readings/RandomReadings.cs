using System;
using System.Formats.Cbor;
using System.Text;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Protocol.Tests.Readings
{
    /// <summary>Valid readings spread over every field's range, and an independent encoding of them with System.Formats.Cbor.</summary>
    internal static class RandomReadings
    {
        private static readonly int[] IntervalLengths = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400 };

        public static MeterReading Next(Random random)
        {
            int length = IntervalLengths[random.Next(IntervalLengths.Length)];
            long intervalStart = RandomNonNegative(random) / length * length;
            return new MeterReading(
                RandomText(random, 64),
                RandomText(random, 64),
                1 + RandomNonNegative(random) % long.MaxValue,
                intervalStart,
                length,
                RandomNonNegative(random),
                RandomNonNegative(random),
                RandomNonNegative(random),
                RandomText(random, 32));
        }

        public static byte[] EncodeWithSystemFormatsCbor(MeterReading reading)
        {
            var writer = new CborWriter(CborConformanceMode.Canonical);
            writer.WriteStartMap(9);
            writer.WriteInt32(1); writer.WriteTextString(reading.ChainId);
            writer.WriteInt32(2); writer.WriteTextString(reading.MeterId);
            writer.WriteInt32(3); writer.WriteInt64(reading.Sequence);
            writer.WriteInt32(4); writer.WriteInt64(reading.IntervalStart);
            writer.WriteInt32(5); writer.WriteInt32(reading.IntervalLengthSeconds);
            writer.WriteInt32(6); writer.WriteInt64(reading.ImportWh);
            writer.WriteInt32(7); writer.WriteInt64(reading.ExportWh);
            writer.WriteInt32(8); writer.WriteInt64(reading.PvWh);
            writer.WriteInt32(9); writer.WriteTextString(reading.FirmwareVersion);
            writer.WriteEndMap();
            return writer.Encode();
        }

        /// <summary>Values of every magnitude, not only near 2^63, so every CBOR argument size occurs.</summary>
        public static long RandomNonNegative(Random random)
        {
            int bits = random.Next(0, 64);
            return bits == 0 ? 0 : random.NextInt64() >> (63 - bits);
        }

        /// <summary>1..maxBytes UTF-8 bytes mixing ASCII, 2-, 3- and 4-byte characters.</summary>
        public static string RandomText(Random random, int maxBytes)
        {
            int target = 1 + random.Next(maxBytes);
            var text = new StringBuilder();
            int bytes = 0;
            while (bytes < target)
            {
                int room = target - bytes;
                int pick = random.Next(4);
                if (pick == 3 && room >= 4) { text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000))); bytes += 4; }
                else if (pick == 2 && room >= 3) { text.Append((char)random.Next(0x800, 0xD800)); bytes += 3; }
                else if (pick == 1 && room >= 2) { text.Append((char)random.Next(0x80, 0x800)); bytes += 2; }
                else { text.Append((char)random.Next(0x21, 0x7F)); bytes += 1; }
            }
            return text.ToString();
        }
    }
}
