using System;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>One finished interval: the reading and its signed bytes, ready for the queue.</summary>
    public sealed class SignedInterval
    {
        public SignedInterval(MeterReading reading, byte[] signed)
        {
            ArgumentNullException.ThrowIfNull(reading);
            ArgumentNullException.ThrowIfNull(signed);
            Reading = reading;
            Signed = signed;
        }

        public MeterReading Reading { get; }

        public long Sequence => Reading.Sequence;

        public byte[] Signed { get; }
    }
}
