using System;
using System.IO.Ports;
using CommunityGrid.Meter.Linux.Serial;
using CommunityGrid.Meter.Meters;
using CommunityGrid.Meter.Modbus;

namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>
    /// Registers read from Eastron SDM120/SDM630 DIN-rail meters over RS-485 Modbus RTU: the grid meter's own import
    /// and export registers, and the PV meter's import register (it sits on the inverter output, wired so production
    /// counts as import). Nothing is integrated here: the meters' registers are the measurement, and they never go back.
    /// A failed read keeps the last good values.
    /// </summary>
    public sealed class SdmSource : IEnergySource
    {
        private readonly SerialPortLink _link;
        private readonly EastronMeterReader _grid;
        private readonly EastronMeterReader? _pv;

        public SdmSource(bool sdm630, string port, int baudRate, int gridSlaveId, int? pvSlaveId)
        {
            _link = new SerialPortLink(port, baudRate, Parity.None, StopBits.One);
            var options = new ModbusMasterOptions { SilenceMs = ModbusMasterOptions.SilenceForBaud(baudRate) };
            var master = new ModbusRtuMaster(_link, options);
            _grid = sdm630 ? EastronMeterReader.Sdm630(master, gridSlaveId) : EastronMeterReader.Sdm120(master, gridSlaveId);
            // A PV inverter output is single phase in most houses: an SDM120.
            _pv = pvSlaveId is int pv ? EastronMeterReader.Sdm120(master, pv) : null;
        }

        public bool CanReplay => false;

        public bool Ready { get; private set; }

        public long ImportWh { get; private set; }

        public long ExportWh { get; private set; }

        public long PvWh { get; private set; }

        public long GridPowerW { get; private set; }

        public long PvPowerW { get; private set; }

        public string? Problem { get; private set; }

        public void SampleAt(long unixMs)
        {
            Problem = null;
            try
            {
                SdmReading grid = _grid.Read();
                ImportWh = Math.Max(ImportWh, grid.ImportWh);
                ExportWh = Math.Max(ExportWh, grid.ExportWh);
                GridPowerW = grid.TotalActivePowerW;
                if (_pv is not null)
                {
                    SdmReading pv = _pv.Read();
                    PvWh = Math.Max(PvWh, pv.ImportWh);
                    PvPowerW = pv.TotalActivePowerW;
                }
                Ready = true;
            }
            catch (Exception e) when (e is ModbusException || e is MeterValueException)
            {
                Problem = e.Message;
            }
        }

        public void Dispose() => _link.Dispose();
    }
}
