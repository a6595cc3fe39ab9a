using System;

namespace CommunityGrid.Meter.Storage
{
    /// <summary>
    /// A small value that survives power loss at any byte: kept in two files, <c>name.0</c> and <c>name.1</c>, each a
    /// checksummed slot with a generation number. <see cref="Save"/> overwrites only the slot that does not hold
    /// the newest value, so a torn write damages the slot being written while the other still holds the previous
    /// value; <see cref="Load"/> takes the valid slot with the highest generation.
    /// </summary>
    /// <remarks>
    /// Slot format (big-endian): "CGS1" (4 bytes), generation (int64), payload length (uint16), payload,
    /// CRC-32 of everything before it (4 bytes).
    /// </remarks>
    public sealed class AlternatingSlotFile
    {
        public const int MaxPayloadBytes = 1024;
        private const int Overhead = 4 + 8 + 2 + 4;
        private static readonly byte[] Magic = { 0x43, 0x47, 0x53, 0x31 };

        private readonly IFileStore _store;
        private readonly string _name;
        private bool _loaded;
        private int _newestSlot = -1;
        private long _generation;

        public AlternatingSlotFile(IFileStore store, string name)
        {
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(name);
            _store = store;
            _name = name;
        }

        /// <summary>Generation of the newest valid slot, 0 when none exists yet.</summary>
        public long Generation => _generation;

        /// <summary>What <see cref="Load"/> found wrong with a slot (torn or corrupt), or null; a damaged older slot is normal after a power cut.</summary>
        public string? Problem { get; private set; }

        public string SlotName(int slot) => _name + "." + slot;

        /// <summary>The newest valid payload, or null when neither slot holds one.</summary>
        public byte[]? Load()
        {
            _loaded = true;
            _newestSlot = -1;
            _generation = 0;
            Problem = null;
            byte[]? newest = null;
            for (int slot = 0; slot < 2; slot++)
            {
                string file = SlotName(slot);
                if (!_store.Exists(file)) continue;
                byte[] bytes = _store.ReadAll(file);
                long generation;
                byte[]? payload = Parse(bytes, out generation);
                if (payload == null)
                {
                    Problem = file + " is torn or corrupt (" + bytes.Length + " bytes, checksum or layout wrong); the other slot is used";
                    continue;
                }
                if (newest == null || generation > _generation)
                {
                    newest = payload;
                    _generation = generation;
                    _newestSlot = slot;
                }
            }
            return newest;
        }

        /// <summary>Stores the payload as the newest value; when this returns it survives a power cut.</summary>
        public void Save(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            if (payload.Length > MaxPayloadBytes)
            {
                throw new ArgumentException("a slot holds at most " + MaxPayloadBytes + " bytes, got " + payload.Length, nameof(payload));
            }
            if (!_loaded) Load();
            long generation = _generation + 1;
            int target = _newestSlot == 0 ? 1 : 0;
            byte[] bytes = new byte[Overhead + payload.Length];
            Array.Copy(Magic, bytes, 4);
            BigEndian.WriteInt64(bytes, 4, generation);
            BigEndian.WriteUInt16(bytes, 12, payload.Length);
            Array.Copy(payload, 0, bytes, 14, payload.Length);
            Crc32.WriteTrailer(bytes, 0, bytes.Length);
            _store.WriteAll(SlotName(target), bytes);
            _generation = generation;
            _newestSlot = target;
        }

        private static byte[]? Parse(byte[] bytes, out long generation)
        {
            generation = 0;
            if (bytes.Length < Overhead) return null;
            for (int i = 0; i < 4; i++)
            {
                if (bytes[i] != Magic[i]) return null;
            }
            int length = BigEndian.ReadUInt16(bytes, 12);
            if (bytes.Length != Overhead + length || !Crc32.HasValidTrailer(bytes, 0, bytes.Length)) return null;
            generation = BigEndian.ReadInt64(bytes, 4);
            byte[] payload = new byte[length];
            Array.Copy(bytes, 14, payload, 0, length);
            return payload;
        }
    }
}
