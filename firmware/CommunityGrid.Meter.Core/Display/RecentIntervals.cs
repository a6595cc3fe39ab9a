using System;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Display
{
    /// <summary>
    /// Sequence -> interval start of the newest readings, so the LCD's last-acknowledged page can name the interval of
    /// the sequence an ack carries (the ack holds only the sequence). Kept in an <see cref="AlternatingSlotFile"/>
    /// (default <c>recent.0</c>/<c>recent.1</c>; payload: pairs of int64 sequence, int64 interval start, oldest first),
    /// so the page survives a reboot and a power cut at any byte leaves the previous or the new list.
    /// </summary>
    public sealed class RecentIntervals
    {
        public const string DefaultName = "recent";
        /// <summary>Four hours of 15-minute readings: acks normally trail the newest reading by one or two.</summary>
        public const int DefaultCapacity = 16;
        private const int EntryBytes = 16;

        private readonly AlternatingSlotFile _slots;
        private readonly long[] _sequences;
        private readonly long[] _starts;
        private int _count;

        public RecentIntervals(IFileStore store, string name, int capacity)
        {
            if (capacity < 1 || capacity * EntryBytes > AlternatingSlotFile.MaxPayloadBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), "1.." + AlternatingSlotFile.MaxPayloadBytes / EntryBytes + " entries");
            }
            _slots = new AlternatingSlotFile(store, name);
            _sequences = new long[capacity];
            _starts = new long[capacity];
        }

        public RecentIntervals(IFileStore store) : this(store, DefaultName, DefaultCapacity)
        {
        }

        public int Count => _count;

        /// <summary>Slot damage found by <see cref="Load"/>, or null; with both slots lost the list starts empty.</summary>
        public string? Problem => _slots.Problem;

        /// <summary>Reads the list from flash (empty when there is none).</summary>
        public void Load()
        {
            _count = 0;
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length % EntryBytes != 0) return;
            int entries = payload.Length / EntryBytes;
            // A list saved with a larger capacity keeps its newest entries.
            int first = entries > _sequences.Length ? entries - _sequences.Length : 0;
            for (int i = first; i < entries; i++)
            {
                _sequences[_count] = BigEndian.ReadInt64(payload, i * EntryBytes);
                _starts[_count] = BigEndian.ReadInt64(payload, i * EntryBytes + 8);
                _count++;
            }
        }

        /// <summary>Adds a reading (dropping the oldest when full) and persists the list before returning.</summary>
        public void Remember(long sequence, long intervalStart)
        {
            int at = IndexOf(sequence);
            if (at >= 0)
            {
                if (_starts[at] == intervalStart) return;
                _starts[at] = intervalStart;
            }
            else
            {
                if (_count == _sequences.Length)
                {
                    Array.Copy(_sequences, 1, _sequences, 0, _count - 1);
                    Array.Copy(_starts, 1, _starts, 0, _count - 1);
                    _count--;
                }
                _sequences[_count] = sequence;
                _starts[_count] = intervalStart;
                _count++;
            }
            _slots.Save(Encode());
        }

        /// <summary>The interval start of <paramref name="sequence"/>, or -1 when it is not in the list.</summary>
        public long IntervalOf(long sequence)
        {
            int at = IndexOf(sequence);
            return at < 0 ? -1 : _starts[at];
        }

        private int IndexOf(long sequence)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_sequences[i] == sequence) return i;
            }
            return -1;
        }

        private byte[] Encode()
        {
            byte[] payload = new byte[_count * EntryBytes];
            for (int i = 0; i < _count; i++)
            {
                BigEndian.WriteInt64(payload, i * EntryBytes, _sequences[i]);
                BigEndian.WriteInt64(payload, i * EntryBytes + 8, _starts[i]);
            }
            return payload;
        }
    }
}
