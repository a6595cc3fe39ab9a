using System;
using System.Collections;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Queue
{
    /// <summary>
    /// The meter's store-and-forward queue: signed readings wait here, on flash, until the gateway acknowledges
    /// them, through power cuts and network outages. Send <see cref="Peek"/> (or <see cref="GetPending"/> for a
    /// window) until <see cref="Acknowledge"/> releases it; order is always sequence order.
    /// </summary>
    /// <remarks>
    /// Acknowledgements are cumulative: acknowledging N releases every reading at or below N. The gateway commits
    /// a meter's readings in sequence order and rejects a sequence at or below its last committed one as a replay,
    /// so once N is committed nothing below it could be accepted any more; its energy is inside N's cumulative
    /// registers. Acknowledging an old sequence, or one above anything appended, changes nothing.
    /// Full policy: appending to a full queue drops the OLDEST waiting reading, persisted and counted in
    /// <see cref="DroppedCount"/>. The registers are cumulative, so the newer readings still carry all the energy;
    /// the gateway loses only the split of that energy across the dropped interval and its neighbour.
    /// The on-disk format and the recovery rules are in docs/meter.md.
    /// </remarks>
    public sealed class ReadingQueue
    {
        private readonly IFileStore _store;
        private readonly QueueOptions _options;
        private readonly QueueCursor _cursor;
        private readonly ArrayList _pending = new ArrayList();
        private readonly ArrayList _damages = new ArrayList();
        private int _active = -1;
        private long _activeGeneration;
        private int _recordsInActive;
        private bool _dirty;

        public ReadingQueue(IFileStore store, QueueOptions options)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(options);
            options.Validate();
            _store = store;
            _options = options;
            _cursor = new QueueCursor(store, options.Name + ".ack");
        }

        /// <summary>Readings waiting for an acknowledgement.</summary>
        public int Count => _pending.Count;

        public int Capacity => _options.Capacity;

        /// <summary>The newest sequence ever appended (or released), 0 for a new queue; appends must exceed it.</summary>
        public long HighestSequence { get; private set; }

        /// <summary>Every reading at or below this is acknowledged or dropped and will never be offered again.</summary>
        public long ReleasedThrough => _cursor.ReleasedThrough;

        /// <summary>The last sequence the gateway acknowledged, 0 when none; for the LCD.</summary>
        public long LastAcknowledged => _cursor.LastAcknowledged;

        /// <summary>Readings dropped because the queue was full, over the queue's whole life.</summary>
        public long DroppedCount => _cursor.DroppedTotal;

        /// <summary>Damage recovery skipped at the last <see cref="Open"/>; each entry cost at most the records in it.</summary>
        public int DamageCount => _damages.Count;

        public QueueDamage GetDamage(int index) => (QueueDamage)_damages[index]!;

        /// <summary>Set when the acknowledgement cursor was unreadable at open (then everything left in the log is resent).</summary>
        public string? CursorProblem => _cursor.Problem;

        /// <summary>The file appends go to; for tests and diagnostics.</summary>
        public string ActiveFileName => LogName(_active);

        public string LogName(int index) => _options.Name + ".log" + index;

        /// <summary>
        /// Recovers the queue from flash: every whole, checksummed reading above the cursor comes back in sequence
        /// order; torn or corrupt stretches are skipped and reported; a damaged or doubled log is rewritten clean.
        /// </summary>
        public void Open()
        {
            _cursor.Load();
            _pending.Clear();
            _damages.Clear();
            _dirty = false;
            QueueLogScan? first = ScanFile(0);
            QueueLogScan? second = ScanFile(1);
            HighestSequence = _cursor.ReleasedThrough;
            Merge(first, second);

            int preferred = Prefer(first, second);
            bool clean = preferred >= 0 && _damages.Count == 0 && (first == null || second == null)
                && (preferred == 0 ? first! : second!).IsSealed;
            if (clean)
            {
                QueueLogScan kept = preferred == 0 ? first! : second!;
                _active = preferred;
                _activeGeneration = kept.SealGeneration;
                _recordsInActive = kept.ReadingCount;
            }
            else
            {
                // Write the union to the file that is not preferred: everything in that one is also in the
                // preferred one (a half-written compaction, or an old log whose deletion was cut off).
                _active = preferred < 0 ? 1 : preferred;
                _activeGeneration = Larger(0, Larger(first == null ? 0 : first.SealGeneration, second == null ? 0 : second.SealGeneration));
                Rewrite();
            }
            while (_pending.Count > _options.Capacity) DropOldest();
            CompactIfDue();
        }

        /// <summary>
        /// Adds a signed reading; persisted when this returns. Returns the sequence dropped to make room (the
        /// oldest waiting one) when the queue was full, else 0.
        /// </summary>
        public long Append(long sequence, byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            CheckOpen();
            if (sequence <= HighestSequence)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), "the queue's newest sequence is " + HighestSequence
                    + ", got " + sequence + "; readings are queued in sequence order and a number is never reused");
            }
            if (payload.Length > _options.MaxPayloadBytes)
            {
                throw new ArgumentException("a queued reading is at most " + _options.MaxPayloadBytes + " bytes, got " + payload.Length, nameof(payload));
            }
            // A failed append may have left part of a record at the end of the log; start clean before appending.
            if (_dirty) Compact();
            long dropped = 0;
            if (_pending.Count >= _options.Capacity) dropped = DropOldest();
            byte[] record = QueueRecord.Encode(QueueRecordKind.Reading, sequence, payload);
            try
            {
                _store.Append(ActiveFileName, record, 0, record.Length);
            }
            catch (StorageException)
            {
                _dirty = true;
                throw;
            }
            _pending.Add(new QueuedReading(sequence, payload));
            _recordsInActive++;
            HighestSequence = sequence;
            CompactIfDue();
            return dropped;
        }

        /// <summary>The oldest reading waiting, or null when none is.</summary>
        public QueuedReading? Peek()
        {
            CheckOpen();
            return _pending.Count == 0 ? null : (QueuedReading)_pending[0]!;
        }

        /// <summary>The index-th waiting reading in sequence order (0 = oldest); for sending a window ahead.</summary>
        public QueuedReading GetPending(int index)
        {
            CheckOpen();
            return (QueuedReading)_pending[index]!;
        }

        /// <summary>
        /// Releases every waiting reading at or below <paramref name="sequence"/>, persisted when this returns.
        /// False (and nothing changes) for a sequence already released or above anything appended.
        /// </summary>
        public bool Acknowledge(long sequence)
        {
            CheckOpen();
            if (sequence <= _cursor.ReleasedThrough || sequence > HighestSequence) return false;
            _cursor.Save(sequence, sequence, _cursor.DroppedTotal);
            RemoveReleased();
            CompactIfDue();
            return true;
        }

        /// <summary>
        /// Rewrites the log with only the waiting readings. Crash-safe: the other log file is written completely and
        /// sealed, and only then is the current one deleted; recovery prefers the newest sealed file.
        /// </summary>
        public void Compact()
        {
            CheckOpen();
            Rewrite();
        }

        private void Rewrite()
        {
            int target = 1 - _active;
            long generation = _activeGeneration + 1;
            string targetName = LogName(target);
            _store.WriteAll(targetName, new byte[0]);
            for (int i = 0; i < _pending.Count; i++)
            {
                QueuedReading reading = (QueuedReading)_pending[i]!;
                byte[] record = QueueRecord.Encode(QueueRecordKind.Reading, reading.Sequence, reading.Payload);
                _store.Append(targetName, record, 0, record.Length);
            }
            byte[] seal = QueueRecord.Encode(QueueRecordKind.Seal, generation, new byte[0]);
            _store.Append(targetName, seal, 0, seal.Length);
            _store.Delete(LogName(_active));
            _active = target;
            _activeGeneration = generation;
            _recordsInActive = _pending.Count;
            _dirty = false;
        }

        private long DropOldest()
        {
            long oldest = ((QueuedReading)_pending[0]!).Sequence;
            _cursor.Save(oldest, _cursor.LastAcknowledged, _cursor.DroppedTotal + 1);
            RemoveReleased();
            return oldest;
        }

        private void RemoveReleased()
        {
            while (_pending.Count > 0 && ((QueuedReading)_pending[0]!).Sequence <= _cursor.ReleasedThrough) _pending.RemoveAt(0);
        }

        private void CompactIfDue()
        {
            if (_recordsInActive - _pending.Count >= _options.CompactAfterReleased) Rewrite();
        }

        private QueueLogScan? ScanFile(int index)
        {
            string name = LogName(index);
            if (!_store.Exists(name)) return null;
            QueueLogScan scan = QueueLogScan.Read(_store.ReadAll(name), name, _options.MaxPayloadBytes);
            for (int i = 0; i < scan.DamageCount; i++) _damages.Add(scan.GetDamage(i));
            return scan;
        }

        /// <summary>Both files' readings above the cursor, merged by sequence; a sequence in both is kept once.</summary>
        private void Merge(QueueLogScan? first, QueueLogScan? second)
        {
            int a = 0, b = 0;
            int countA = first == null ? 0 : first.ReadingCount;
            int countB = second == null ? 0 : second.ReadingCount;
            while (a < countA || b < countB)
            {
                QueuedReading? fromA = a < countA ? first!.GetReading(a) : null;
                QueuedReading? fromB = b < countB ? second!.GetReading(b) : null;
                QueuedReading next;
                if (fromB == null || (fromA != null && fromA.Sequence <= fromB.Sequence))
                {
                    next = fromA!;
                    a++;
                    if (fromB != null && fromB.Sequence == fromA!.Sequence) b++;
                }
                else
                {
                    next = fromB;
                    b++;
                }
                if (next.Sequence > HighestSequence) HighestSequence = next.Sequence;
                if (next.Sequence > _cursor.ReleasedThrough) _pending.Add(next);
            }
        }

        /// <summary>The sealed file with the higher generation; without seals, the one with more readings; -1 for none.</summary>
        private static int Prefer(QueueLogScan? first, QueueLogScan? second)
        {
            if (first == null) return second == null ? -1 : 1;
            if (second == null) return 0;
            if (first.IsSealed != second.IsSealed) return first.IsSealed ? 0 : 1;
            if (first.IsSealed) return first.SealGeneration >= second.SealGeneration ? 0 : 1;
            return first.ReadingCount >= second.ReadingCount ? 0 : 1;
        }

        private void CheckOpen()
        {
            if (_active < 0) throw new InvalidOperationException("call Open before using the queue");
        }

        private static long Larger(long a, long b) => a > b ? a : b;
    }
}
