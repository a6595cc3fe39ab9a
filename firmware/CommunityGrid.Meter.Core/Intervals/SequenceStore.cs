using System;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>
    /// The last sequence number handed out and the interval it was for, kept in an <see cref="AlternatingSlotFile"/>
    /// (files <c>name.0</c>/<c>name.1</c>, payload: sequence int64, interval start int64). Written after the reading
    /// is queued and before it may be published (see IntervalRecorder), so together with the queue it never lets a
    /// published number be used again, whatever the power does.
    /// </summary>
    public sealed class SequenceStore
    {
        public const string DefaultName = "seq";
        private const int PayloadBytes = 16;
        private readonly AlternatingSlotFile _slots;
        private bool _loaded;

        public SequenceStore(IFileStore store, string name)
        {
            _slots = new AlternatingSlotFile(store, name);
            LastIntervalStart = -1;
        }

        public SequenceStore(IFileStore store) : this(store, DefaultName)
        {
        }

        /// <summary>The last sequence number committed, 0 when none has been.</summary>
        public long LastSequence { get; private set; }

        /// <summary>Start of the interval of the last committed reading, -1 when none has been.</summary>
        public long LastIntervalStart { get; private set; }

        /// <summary>Slot damage found by <see cref="Load"/> (normal after a power cut during a commit), or null.</summary>
        public string? Problem => _slots.Problem;

        public void Load()
        {
            _loaded = true;
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length != PayloadBytes)
            {
                LastSequence = 0;
                LastIntervalStart = -1;
                return;
            }
            LastSequence = BigEndian.ReadInt64(payload, 0);
            LastIntervalStart = BigEndian.ReadInt64(payload, 8);
        }

        /// <summary>Persists the pair; when this returns, <paramref name="sequence"/> is spent for good.</summary>
        public void Commit(long sequence, long intervalStart)
        {
            if (!_loaded) Load();
            if (sequence <= LastSequence)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence),
                    "sequence numbers only grow: last was " + LastSequence + ", got " + sequence);
            }
            byte[] payload = new byte[PayloadBytes];
            BigEndian.WriteInt64(payload, 0, sequence);
            BigEndian.WriteInt64(payload, 8, intervalStart);
            _slots.Save(payload);
            LastSequence = sequence;
            LastIntervalStart = intervalStart;
        }
    }
}
