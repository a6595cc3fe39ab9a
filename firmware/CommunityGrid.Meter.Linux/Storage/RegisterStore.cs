using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Storage
{
    /// <summary>
    /// The meter's cumulative registers (import, export, PV in Wh) kept across restarts in an
    /// <see cref="AlternatingSlotFile"/> (<c>registers.0</c>/<c>.1</c>). Saved before every reading is made, so after
    /// a restart the registers are never below a reading already signed; energy measured after the last save is lost
    /// with the process (counted nowhere rather than invented).
    /// </summary>
    public sealed class RegisterStore
    {
        public const string DefaultName = "registers";
        private const int PayloadBytes = 24;
        private readonly AlternatingSlotFile _slots;

        public RegisterStore(IFileStore store)
        {
            _slots = new AlternatingSlotFile(store, DefaultName);
        }

        /// <summary>Slot damage found by <see cref="Load"/>, or null.</summary>
        public string? Problem => _slots.Problem;

        /// <returns>import, export, PV Wh; all zero when nothing was saved yet.</returns>
        public long[] Load()
        {
            byte[]? payload = _slots.Load();
            if (payload == null || payload.Length != PayloadBytes) return new long[3];
            return new[] { BigEndian.ReadInt64(payload, 0), BigEndian.ReadInt64(payload, 8), BigEndian.ReadInt64(payload, 16) };
        }

        public void Save(long importWh, long exportWh, long pvWh)
        {
            byte[] payload = new byte[PayloadBytes];
            BigEndian.WriteInt64(payload, 0, importWh);
            BigEndian.WriteInt64(payload, 8, exportWh);
            BigEndian.WriteInt64(payload, 16, pvWh);
            _slots.Save(payload);
        }
    }
}
