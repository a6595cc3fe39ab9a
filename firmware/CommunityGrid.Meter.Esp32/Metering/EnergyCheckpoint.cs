using System;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Esp32.Metering
{
    /// <summary>
    /// Keeps Wh integrated from INA sensors across reboots (an SDM keeps its own registers): import, export and PV in
    /// a checksummed two-slot file <c>energy.0</c>/<c>.1</c>, saved after every reading and every few minutes.
    /// At boot the larger of the checkpoint and the newest queued reading is taken, so a register never restarts below
    /// a reading that may already have been sent; what was integrated since the last save is lost (uncounted, like an
    /// outage), never double-counted.
    /// </summary>
    internal sealed class EnergyCheckpoint
    {
        private readonly AlternatingSlotFile _slots;

        public EnergyCheckpoint(IFileStore store)
        {
            _slots = new AlternatingSlotFile(store, "energy");
        }

        /// <returns>{ importWh, exportWh, pvWh }.</returns>
        public long[] Restore(ReadingQueue queue)
        {
            long[] registers = new long[3];
            byte[]? saved = _slots.Load();
            if (saved != null && saved.Length == 24)
            {
                for (int i = 0; i < 3; i++) registers[i] = BigEndian.ReadInt64(saved, 8 * i);
            }
            if (queue.Count > 0)
            {
                // Decoded without verifying: the meter signed it itself, and one Ed25519 check costs seconds of interpreted code.
                byte[] cose = queue.GetPending(queue.Count - 1).Payload;
                MeterReading newest = MeterReadingCodec.Decode(CoseSign1.Decode(cose, ContentTypes.Reading).Payload);
                registers[0] = Larger(registers[0], newest.ImportWh);
                registers[1] = Larger(registers[1], newest.ExportWh);
                registers[2] = Larger(registers[2], newest.PvWh);
            }
            return registers;
        }

        public void Save(long importWh, long exportWh, long pvWh)
        {
            byte[] payload = new byte[24];
            BigEndian.WriteInt64(payload, 0, importWh);
            BigEndian.WriteInt64(payload, 8, exportWh);
            BigEndian.WriteInt64(payload, 16, pvWh);
            _slots.Save(payload);
        }

        private static long Larger(long a, long b) => a > b ? a : b;
    }
}
