using System;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Meter.Time;

namespace CommunityGrid.Meter.Energy
{
    /// <summary>
    /// Energy since the start of the current local day, for the LCD: the registers at the day's first update are kept in
    /// an <see cref="AlternatingSlotFile"/> (<c>today.0</c>/<c>.1</c>: day number, import, export, PV as int64), written
    /// once a day, so a reboot in the middle of the day goes on counting from that start instead of from boot.
    /// A register below its start (a replaced SDM) makes the current value the new start. The day is the configured
    /// time zone's (<see cref="PosixTimeZone"/>): "today" begins at local midnight, UTC when no zone is given.
    /// </summary>
    public sealed class TodayEnergy
    {
        public const string DefaultName = "today";
        private const int PayloadBytes = 32;

        private readonly AlternatingSlotFile _slots;
        private readonly PosixTimeZone _zone;
        private bool _loaded;
        private long _startImport, _startExport, _startPv;

        public TodayEnergy(IFileStore store, string name, PosixTimeZone zone)
        {
            ArgumentNullException.ThrowIfNull(zone);
            _slots = new AlternatingSlotFile(store, name);
            _zone = zone;
            Day = -1;
        }

        public TodayEnergy(IFileStore store, string name) : this(store, name, PosixTimeZone.Utc)
        {
        }

        public TodayEnergy(IFileStore store) : this(store, DefaultName)
        {
        }

        /// <summary>Local days since 1970-01-01 of the start in use; -1 before the first update.</summary>
        public long Day { get; private set; }

        public long ImportWh { get; private set; }

        public long ExportWh { get; private set; }

        public long PvWh { get; private set; }

        /// <summary>Call with synchronised UTC and the current registers; today's values follow.</summary>
        public void Update(long unixSeconds, long importWh, long exportWh, long pvWh)
        {
            if (!_loaded) Load();
            long day = _zone.LocalDay(unixSeconds);
            bool below = importWh < _startImport || exportWh < _startExport || pvWh < _startPv;
            if (day != Day || below)
            {
                // RAM first: the LCD must not depend on the flash write, and a failed write only costs the start after a reboot.
                Day = day;
                _startImport = importWh;
                _startExport = exportWh;
                _startPv = pvWh;
                Persist();
            }
            ImportWh = importWh - _startImport;
            ExportWh = exportWh - _startExport;
            PvWh = pvWh - _startPv;
        }

        private void Load()
        {
            _loaded = true;
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length != PayloadBytes) return;
            Day = BigEndian.ReadInt64(payload, 0);
            _startImport = BigEndian.ReadInt64(payload, 8);
            _startExport = BigEndian.ReadInt64(payload, 16);
            _startPv = BigEndian.ReadInt64(payload, 24);
        }

        private void Persist()
        {
            byte[] payload = new byte[PayloadBytes];
            BigEndian.WriteInt64(payload, 0, Day);
            BigEndian.WriteInt64(payload, 8, _startImport);
            BigEndian.WriteInt64(payload, 16, _startExport);
            BigEndian.WriteInt64(payload, 24, _startPv);
            _slots.Save(payload);
        }
    }
}
