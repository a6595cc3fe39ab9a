using System;
using CommunityGrid.Protocol.Tests.Readings;
using Portable = CommunityGrid.Protocol.Readings;
using Gateway = CommunityGrid.Formats.Readings;

namespace CommunityGrid.Formats.Tests
{
    /// <summary>The same reading on both sides, and valid random readings spread over every field's range.</summary>
    internal static class Readings
    {
        public static Gateway.MeterReading Example { get; } =
            new("communitygrid-test", "meter-0001", 42, 1767225600, 900, 1234567, 89012, 456789, "1.0.0");

        /// <summary>One generator for both sides' tests (linked from the portable tests), converted to the gateway record.</summary>
        public static Gateway.MeterReading Random(Random random) => FromPortable(RandomReadings.Next(random));

        public static Portable.MeterReading ToPortable(Gateway.MeterReading r) =>
            new(r.ChainId, r.MeterId, r.Sequence, r.IntervalStart, r.IntervalLengthSeconds, r.ImportWh, r.ExportWh, r.PvWh, r.FirmwareVersion);

        public static Gateway.MeterReading FromPortable(Portable.MeterReading r) =>
            new(r.ChainId, r.MeterId, r.Sequence, r.IntervalStart, r.IntervalLengthSeconds, r.ImportWh, r.ExportWh, r.PvWh, r.FirmwareVersion);
    }
}
