using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Queue
{
    /// <summary>
    /// The queue's progress, apart from the log so an acknowledgement costs one small write and never touches
    /// the log: kept in an <see cref="AlternatingSlotFile"/> (<c>name.ack.0</c>/<c>.1</c>), payload three int64:
    /// released-through (every reading at or below it is acknowledged or dropped, and never sent again),
    /// last acknowledged sequence, total readings dropped because the queue was full.
    /// </summary>
    public sealed class QueueCursor
    {
        private const int PayloadBytes = 24;
        private readonly AlternatingSlotFile _slots;

        public QueueCursor(IFileStore store, string name)
        {
            _slots = new AlternatingSlotFile(store, name);
        }

        public long ReleasedThrough { get; private set; }

        public long LastAcknowledged { get; private set; }

        public long DroppedTotal { get; private set; }

        public string? Problem => _slots.Problem;

        public void Load()
        {
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length != PayloadBytes)
            {
                ReleasedThrough = 0;
                LastAcknowledged = 0;
                DroppedTotal = 0;
                return;
            }
            ReleasedThrough = BigEndian.ReadInt64(payload, 0);
            LastAcknowledged = BigEndian.ReadInt64(payload, 8);
            DroppedTotal = BigEndian.ReadInt64(payload, 16);
        }

        public void Save(long releasedThrough, long lastAcknowledged, long droppedTotal)
        {
            byte[] payload = new byte[PayloadBytes];
            BigEndian.WriteInt64(payload, 0, releasedThrough);
            BigEndian.WriteInt64(payload, 8, lastAcknowledged);
            BigEndian.WriteInt64(payload, 16, droppedTotal);
            _slots.Save(payload);
            ReleasedThrough = releasedThrough;
            LastAcknowledged = lastAcknowledged;
            DroppedTotal = droppedTotal;
        }
    }
}
