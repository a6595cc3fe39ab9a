using System.Collections;

namespace CommunityGrid.Meter.Queue
{
    /// <summary>
    /// What recovery finds in one queue log file: every whole record with a valid checksum, in file order, and
    /// the damaged stretches between them. After a damaged stretch the scan resynchronises on the next sync
    /// marker that starts a valid record, so one corrupted record costs that record only; damage with no valid
    /// record after it is a torn tail.
    /// </summary>
    public sealed class QueueLogScan
    {
        private readonly ArrayList _readings = new ArrayList();
        private readonly ArrayList _damages = new ArrayList();

        private QueueLogScan(string fileName, int length)
        {
            FileName = fileName;
            Length = length;
            SealGeneration = -1;
        }

        public string FileName { get; }

        public int Length { get; }

        /// <summary>The generation in the file's seal record, -1 when the file has none (an interrupted compaction).</summary>
        public long SealGeneration { get; private set; }

        public bool IsSealed => SealGeneration >= 0;

        /// <summary>Reading records in file order, sequences strictly increasing.</summary>
        public int ReadingCount => _readings.Count;

        public QueuedReading GetReading(int index) => (QueuedReading)_readings[index]!;

        public int DamageCount => _damages.Count;

        public QueueDamage GetDamage(int index) => (QueueDamage)_damages[index]!;

        public static QueueLogScan Read(byte[] data, string fileName, int maxPayloadBytes)
        {
            QueueLogScan scan = new QueueLogScan(fileName, data.Length);
            int position = 0;
            while (position < data.Length)
            {
                QueueRecord? record;
                string? reason = QueueRecord.TryParse(data, position, maxPayloadBytes, out record);
                if (reason == null)
                {
                    scan.Accept(record!);
                    position += record!.Size;
                    continue;
                }
                int next = FindNextRecord(data, position + 1, maxPayloadBytes);
                if (next < 0)
                {
                    scan._damages.Add(new QueueDamage(fileName, position, data.Length - position, true, reason));
                    break;
                }
                scan._damages.Add(new QueueDamage(fileName, position, next - position, false, reason));
                position = next;
            }
            return scan;
        }

        private void Accept(QueueRecord record)
        {
            if (record.Kind == QueueRecordKind.Seal)
            {
                if (record.Number > SealGeneration) SealGeneration = record.Number;
                return;
            }
            if (_readings.Count > 0)
            {
                long previous = GetReading(_readings.Count - 1).Sequence;
                if (record.Number <= previous)
                {
                    // Appends only ever grow the sequence; a repeat means a retried append whose first attempt
                    // landed after all. The first copy is the one kept.
                    _damages.Add(new QueueDamage(FileName, record.Offset, record.Size, false,
                        "reading " + record.Number + " does not follow " + previous + " (repeated append)"));
                    return;
                }
            }
            _readings.Add(new QueuedReading(record.Number, record.Payload));
        }

        private static int FindNextRecord(byte[] data, int from, int maxPayloadBytes)
        {
            for (int p = from; p + QueueRecord.Overhead <= data.Length; p++)
            {
                if (data[p] != QueueRecord.Sync0 || data[p + 1] != QueueRecord.Sync1) continue;
                QueueRecord? ignored;
                if (QueueRecord.TryParse(data, p, maxPayloadBytes, out ignored) == null) return p;
            }
            return -1;
        }
    }
}
