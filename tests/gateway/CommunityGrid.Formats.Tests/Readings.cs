using System;
using System.Text;
using Portable = CommunityGrid.Protocol.Readings;
using Gateway = CommunityGrid.Formats.Readings;

namespace CommunityGrid.Formats.Tests
{
    /// <summary>The same reading on both sides, and valid random readings spread over every field's range.</summary>
    internal static class Readings
    {
        private static readonly int[] IntervalLengths = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400 };

        public static Gateway.MeterReading Example { get; } =
            new("communitygrid-test", "meter-0001", 42, 1767225600, 900, 1234567, 89012, 456789, "1.0.0");

        public static Gateway.MeterReading Random(Random random)
        {
            int length = IntervalLengths[random.Next(IntervalLengths.Length)];
            return new Gateway.MeterReading(
                Text(random, 64),
                Text(random, 64),
                Math.Max(1, NonNegative(random)),
                NonNegative(random) / length * length,
                length,
                NonNegative(random),
                NonNegative(random),
                NonNegative(random),
                Text(random, 32));
        }

        public static Portable.MeterReading ToPortable(Gateway.MeterReading r) =>
            new(r.ChainId, r.MeterId, r.Sequence, r.IntervalStart, r.IntervalLengthSeconds, r.ImportWh, r.ExportWh, r.PvWh, r.FirmwareVersion);

        public static Gateway.MeterReading FromPortable(Portable.MeterReading r) =>
            new(r.ChainId, r.MeterId, r.Sequence, r.IntervalStart, r.IntervalLengthSeconds, r.ImportWh, r.ExportWh, r.PvWh, r.FirmwareVersion);

        private static long NonNegative(Random random)
        {
            int bits = random.Next(0, 64);
            return bits == 0 ? 0 : random.NextInt64() >> (63 - bits);
        }

        private static string Text(Random random, int maxBytes)
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
