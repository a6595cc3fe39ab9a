using System;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Queue
{
    /// <summary>
    /// One record of a queue log file (all integers big-endian):
    /// <code>
    /// offset  size  field
    ///      0     2  sync marker 0xC6 0x51 (lets recovery find the next record after a damaged one)
    ///      2     1  kind: 1 = reading, 2 = seal
    ///      3     2  payload length n (uint16)
    ///      5     8  number: the reading's sequence, or the seal's generation (int64)
    ///     13     n  payload: the COSE_Sign1 bytes of the reading; empty for a seal
    ///   13+n     4  CRC-32 (IEEE) of bytes 0 .. 13+n
    /// </code>
    /// </summary>
    public sealed class QueueRecord
    {
        public const int Overhead = 17;
        public const byte Sync0 = 0xC6;
        public const byte Sync1 = 0x51;
        private const int HeaderBytes = 13;

        private QueueRecord(QueueRecordKind kind, long number, byte[] payload, int offset)
        {
            Kind = kind;
            Number = number;
            Payload = payload;
            Offset = offset;
        }

        public QueueRecordKind Kind { get; }

        public long Number { get; }

        public byte[] Payload { get; }

        /// <summary>Where the record starts in the file it was read from.</summary>
        public int Offset { get; }

        public int Size => Overhead + Payload.Length;

        public static byte[] Encode(QueueRecordKind kind, long number, byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            if (payload.Length > 0xFFFF) throw new ArgumentException("a record payload is at most 65535 bytes", nameof(payload));
            byte[] record = new byte[Overhead + payload.Length];
            record[0] = Sync0;
            record[1] = Sync1;
            record[2] = (byte)kind;
            BigEndian.WriteUInt16(record, 3, payload.Length);
            BigEndian.WriteInt64(record, 5, number);
            Array.Copy(payload, 0, record, HeaderBytes, payload.Length);
            Crc32.WriteTrailer(record, 0, record.Length);
            return record;
        }

        /// <summary>
        /// Parses the record starting at <paramref name="offset"/>; returns null and sets <paramref name="record"/>,
        /// or returns why no whole, valid record starts there.
        /// </summary>
        public static string? TryParse(byte[] data, int offset, int maxPayloadBytes, out QueueRecord? record)
        {
            record = null;
            int available = data.Length - offset;
            if (available < HeaderBytes)
            {
                return "only " + available + " bytes left, a record needs at least " + Overhead;
            }
            if (data[offset] != Sync0 || data[offset + 1] != Sync1) return "no sync marker";
            int kind = data[offset + 2];
            if (kind != (int)QueueRecordKind.Reading && kind != (int)QueueRecordKind.Seal) return "unknown record kind " + kind;
            int length = BigEndian.ReadUInt16(data, offset + 3);
            if (length > maxPayloadBytes) return "payload length " + length + " exceeds the limit of " + maxPayloadBytes;
            if (kind == (int)QueueRecordKind.Seal && length != 0) return "a seal record has a payload";
            if (available < Overhead + length)
            {
                return "record of " + (Overhead + length) + " bytes cut off after " + available;
            }
            if (!Crc32.HasValidTrailer(data, offset, Overhead + length)) return "checksum mismatch";
            byte[] payload = new byte[length];
            Array.Copy(data, offset + HeaderBytes, payload, 0, length);
            record = new QueueRecord((QueueRecordKind)kind, BigEndian.ReadInt64(data, offset + 5), payload, offset);
            return null;
        }
    }
}
