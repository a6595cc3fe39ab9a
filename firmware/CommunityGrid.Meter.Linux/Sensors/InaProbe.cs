using System;
using CommunityGrid.Meter.Sensors;

namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>
    /// Grid and (optionally) PV power from INA219 or INA226 monitors on one I2C bus. A chip that fails is
    /// re-initialised on the next sample (a brown-out resets its calibration), and its power is reported missing
    /// meanwhile, never as 0 W.
    /// </summary>
    public sealed class InaProbe : IPowerProbe
    {
        private readonly Chip _grid;
        private readonly Chip? _pv;

        public InaProbe(bool ina226, int busId, int gridAddress, int? pvAddress, long shuntMicroohms, long currentLsbMicroamps)
        {
            _grid = new Chip(ina226, busId, gridAddress, shuntMicroohms, currentLsbMicroamps);
            _pv = pvAddress is int pv ? new Chip(ina226, busId, pv, shuntMicroohms, currentLsbMicroamps) : null;
        }

        public void Read(long unixMs, out long? gridMilliwatts, out long? pvMilliwatts, out string? problem)
        {
            problem = null;
            gridMilliwatts = _grid.Read(ref problem);
            // Without a PV monitor the house has no PV register to report: it stays at 0, which is the truth.
            pvMilliwatts = _pv is null ? 0 : _pv.Read(ref problem);
        }

        public void Dispose()
        {
            _grid.Dispose();
            _pv?.Dispose();
        }

        private sealed class Chip : IDisposable
        {
            private readonly I2cBusDevice _device;
            private readonly InaPowerMonitor _monitor;
            private bool _ready;

            public Chip(bool ina226, int busId, int address, long shuntMicroohms, long currentLsbMicroamps)
            {
                _device = new I2cBusDevice(busId, address);
                _monitor = ina226
                    ? new Ina226(_device, shuntMicroohms, currentLsbMicroamps, Ina226.ResetConfiguration)
                    : new Ina219(_device, shuntMicroohms, currentLsbMicroamps, Ina219.ResetConfiguration);
            }

            public long? Read(ref string? problem)
            {
                if (!_ready)
                {
                    _ready = _monitor.Initialize(out string detail) == SensorStatus.Ok;
                    if (!_ready)
                    {
                        problem = detail;
                        return null;
                    }
                }
                PowerSensorReading reading = _monitor.Read();
                if (reading.IsValid) return reading.PowerMilliwatts;
                if (reading.Status == SensorStatus.CalibrationLost || reading.Status == SensorStatus.NotInitialized) _ready = false;
                problem = reading.Detail;
                return null;
            }

            public void Dispose() => _device.Dispose();
        }
    }
}
