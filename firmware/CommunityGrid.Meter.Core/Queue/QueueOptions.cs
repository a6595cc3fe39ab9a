using System;

namespace CommunityGrid.Meter.Queue
{
    /// <summary>Sizing of the <see cref="ReadingQueue"/>; the defaults fit an ESP32 (about 50 KB of flash and RAM).</summary>
    public sealed class QueueOptions
    {
        public QueueOptions()
        {
            Name = "queue";
            Capacity = 192;
            MaxPayloadBytes = 512;
            CompactAfterReleased = 16;
        }

        /// <summary>Base file name: logs are <c>Name.log0</c>/<c>Name.log1</c>, the cursor <c>Name.ack.0</c>/<c>.1</c>.</summary>
        public string Name { get; set; }

        /// <summary>Most readings waiting at once; 192 is two days of 15-minute intervals without a connection.</summary>
        public int Capacity { get; set; }

        /// <summary>Largest signed reading accepted; also bounds what recovery believes a length field.</summary>
        public int MaxPayloadBytes { get; set; }

        /// <summary>Rewrite the log once this many released (acknowledged or dropped) records sit in it.</summary>
        public int CompactAfterReleased { get; set; }

        public void Validate()
        {
            if (Name == null || Name.Length == 0) throw new ArgumentException("a queue needs a file name", nameof(Name));
            if (Capacity < 1) throw new ArgumentOutOfRangeException(nameof(Capacity), "the queue must hold at least one reading");
            if (MaxPayloadBytes < 1 || MaxPayloadBytes > 0xFFFF)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxPayloadBytes), "a payload limit is 1..65535 bytes");
            }
            if (CompactAfterReleased < 1) throw new ArgumentOutOfRangeException(nameof(CompactAfterReleased), "compact after at least 1 released record");
        }
    }
}
