using System;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Energy
{
    /// <summary>
    /// The three cumulative registers (import, export, PV in Wh) kept across reboots in an
    /// <see cref="AlternatingSlotFile"/> (<c>energy.0</c>/<c>.1</c>, payload three int64), so a power cut at any byte
    /// leaves the previous or the new value. What the file holds never decreases: a lower register is kept at the
    /// stored value. A save happens at most every <see cref="SaveEveryMs"/> (flash wear) and whenever forced (after a
    /// reading, before it is published), and only when a register grew. So after a power cut the registers lack at most
    /// the energy counted in the last SaveEveryMs (and one sample period), plus under 1 Wh per register (the sub-Wh remainder is not saved):
    /// counted nowhere, like an outage, never counted twice.
    /// </summary>
    public sealed class EnergyCheckpoint
    {
        public const string DefaultName = "energy";
        public const long DefaultSaveEveryMs = 300_000;
        private const int PayloadBytes = 24;

        private readonly AlternatingSlotFile _slots;
        private bool _restored;
        private bool _savedOnce;
        private bool _failedLastTime;
        private long _lastSaveMs;

        public EnergyCheckpoint(IFileStore store, string name, long saveEveryMs)
        {
            if (saveEveryMs < 1) throw new ArgumentOutOfRangeException(nameof(saveEveryMs), "save at least every millisecond or more");
            _slots = new AlternatingSlotFile(store, name);
            SaveEveryMs = saveEveryMs;
        }

        public EnergyCheckpoint(IFileStore store) : this(store, DefaultName, DefaultSaveEveryMs)
        {
        }

        public long SaveEveryMs { get; }

        /// <summary>The registers as last restored or saved.</summary>
        public long ImportWh { get; private set; }

        public long ExportWh { get; private set; }

        public long PvWh { get; private set; }

        /// <summary>Slot damage found when restoring (normal after a cut during a save), or null.</summary>
        public string? Problem => _slots.Problem;

        /// <summary>
        /// The saved registers, each raised to at least the floor: the registers of the newest reading made, which may
        /// have been sent already. Writes nothing.
        /// </summary>
        public void Restore(long floorImportWh, long floorExportWh, long floorPvWh)
        {
            _restored = true;
            byte[]? payload = _slots.Load();
            bool valid = payload != null && payload.Length == PayloadBytes;
            ImportWh = Larger(valid ? BigEndian.ReadInt64(payload!, 0) : 0, floorImportWh);
            ExportWh = Larger(valid ? BigEndian.ReadInt64(payload!, 8) : 0, floorExportWh);
            PvWh = Larger(valid ? BigEndian.ReadInt64(payload!, 16) : 0, floorPvWh);
        }

        /// <summary>
        /// <see cref="Restore(long, long, long)"/> with the newest reading still queued as the floor. Without it, a cut
        /// between queueing a reading and the forced save could restart the registers below a published reading.
        /// </summary>
        public void Restore(ReadingQueue queue)
        {
            ArgumentNullException.ThrowIfNull(queue);
            if (queue.Count == 0)
            {
                Restore(0, 0, 0);
                return;
            }
            // Decoded without verifying: this meter signed it, and one Ed25519 check costs seconds of interpreted code.
            byte[] cose = queue.GetPending(queue.Count - 1).Payload;
            MeterReading newest = MeterReadingCodec.Decode(CoseSign1.Decode(cose, ContentTypes.Reading).Payload);
            Restore(newest.ImportWh, newest.ExportWh, newest.PvWh);
        }

        /// <summary>
        /// Saves when a register grew and the save is forced or due (monotonic <paramref name="nowMs"/>). After a save
        /// that threw, the next call is due at once: a reading must not be published while its forced save is missing.
        /// </summary>
        /// <returns>True when the file was written; when this returns true the values survive a power cut.</returns>
        public bool Save(long nowMs, long importWh, long exportWh, long pvWh, bool force)
        {
            if (!_restored) Restore(0, 0, 0);
            bool due = force || _failedLastTime || !_savedOnce || nowMs - _lastSaveMs >= SaveEveryMs || nowMs < _lastSaveMs;
            long import = Larger(ImportWh, importWh), export = Larger(ExportWh, exportWh), pv = Larger(PvWh, pvWh);
            bool grew = import != ImportWh || export != ExportWh || pv != PvWh;
            if (!due || !grew) return false;
            byte[] payload = new byte[PayloadBytes];
            BigEndian.WriteInt64(payload, 0, import);
            BigEndian.WriteInt64(payload, 8, export);
            BigEndian.WriteInt64(payload, 16, pv);
            _failedLastTime = true;
            _slots.Save(payload);
            _failedLastTime = false;
            ImportWh = import;
            ExportWh = export;
            PvWh = pv;
            _savedOnce = true;
            _lastSaveMs = nowMs;
            return true;
        }

        private static long Larger(long a, long b) => a > b ? a : b;
    }
}
