namespace CommunityGrid.Meter.Queue
{
    /// <summary>A reading waiting in the queue: its sequence number and the signed bytes to publish.</summary>
    public sealed class QueuedReading
    {
        public QueuedReading(long sequence, byte[] payload)
        {
            Sequence = sequence;
            Payload = payload;
        }

        public long Sequence { get; }

        public byte[] Payload { get; }
    }
}
