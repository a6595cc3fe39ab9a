using System;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>One finished interval as the recorder queued it: the reading, its signed bytes, and what the queue dropped for it.</summary>
    public sealed class SignedInterval
    {
        public SignedInterval(MeterReading reading, byte[] signed, long droppedSequence)
        {
            ArgumentNullException.ThrowIfNull(reading);
            ArgumentNullException.ThrowIfNull(signed);
            Reading = reading;
            Signed = signed;
            DroppedSequence = droppedSequence;
        }

        public MeterReading Reading { get; }

        public long Sequence => Reading.Sequence;

        public byte[] Signed { get; }

        /// <summary>The oldest waiting reading the full queue dropped to make room for this one, else 0.</summary>
        public long DroppedSequence { get; }
    }
}
