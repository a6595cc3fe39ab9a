using System;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>The meter's fixed facts (chain, meter id, interval length, firmware), checked once, stamped on every reading.</summary>
    public sealed class ReadingBuilder
    {
        /// <exception cref="ArgumentException">an id, the interval length or the firmware version is not acceptable in a reading.</exception>
        public ReadingBuilder(string chainId, string meterId, int intervalLengthSeconds, string firmwareVersion)
        {
            // Building a throwaway reading applies exactly the protocol's rules, so a bad configuration fails at
            // start-up with the protocol's own message instead of at the first interval boundary.
            new MeterReading(chainId, meterId, 1, 0, intervalLengthSeconds, 0, 0, 0, firmwareVersion);
            ChainId = chainId;
            MeterId = meterId;
            IntervalLengthSeconds = intervalLengthSeconds;
            FirmwareVersion = firmwareVersion;
        }

        public string ChainId { get; }

        public string MeterId { get; }

        public int IntervalLengthSeconds { get; }

        public string FirmwareVersion { get; }

        public MeterReading Build(long sequence, long intervalStart, long importWh, long exportWh, long pvWh)
        {
            return new MeterReading(ChainId, MeterId, sequence, intervalStart, IntervalLengthSeconds, importWh, exportWh, pvWh, FirmwareVersion);
        }
    }
}
