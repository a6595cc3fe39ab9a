using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Meters;
using CommunityGrid.Meter.Modbus;
using CommunityGrid.Meter.Sensors;

namespace CommunityGrid.Meter.Esp32.Metering
{
    internal delegate SensorStatus SensorInit(out string detail);

    internal delegate PowerSensorReading SensorRead();

    /// <summary>
    /// One measuring point (grid connection or PV output) as the main loop sees it: live power and two cumulative
    /// registers (grid: import/export; PV: production/unused). Registers only ever go up here, whatever the source says.
    /// </summary>
    internal abstract class PowerChannel
    {
        /// <summary>Grid: positive = import, negative = export. PV: production.</summary>
        public long PowerW { get; protected set; }

        public long PositiveWh { get; private set; }

        public long NegativeWh { get; private set; }

        /// <summary>False until the registers hold a real value (an SDM before its first answer).</summary>
        public bool HasRegisters { get; protected set; }

        public bool Healthy { get; protected set; }

        public string Status { get; protected set; } = "not read yet";

        public abstract void Sample(long nowMs);

        protected void SetRegisters(long positiveWh, long negativeWh)
        {
            if (positiveWh > PositiveWh) PositiveWh = positiveWh;
            if (negativeWh > NegativeWh) NegativeWh = negativeWh;
            HasRegisters = true;
        }

        protected void Fail(string detail)
        {
            Healthy = false;
            PowerW = 0;
            Status = detail;
        }
    }

    /// <summary>INA219/INA226 through the core's register-level drivers, integrated into Wh by the core's integrator.</summary>
    internal sealed class InaChannel : PowerChannel
    {
        private readonly SensorInit _init;
        private readonly SensorRead _read;
        private readonly EnergyIntegrator _energy;
        private bool _initialized;

        /// <param name="energy">Starts at the restored registers (EnergyCheckpoint), so they are valid from boot.</param>
        public InaChannel(SensorInit init, SensorRead read, EnergyIntegrator energy)
        {
            _init = init;
            _read = read;
            _energy = energy;
            SetRegisters(energy.Positive.WattHours, energy.Negative.WattHours);
        }

        public override void Sample(long nowMs)
        {
            if (!_initialized)
            {
                _initialized = _init(out string detail) == SensorStatus.Ok;
                if (!_initialized)
                {
                    Unavailable(nowMs, detail);
                    return;
                }
            }
            PowerSensorReading reading = _read();
            if (!reading.IsValid)
            {
                // A chip that lost its calibration (brown-out) is set up again; other faults are retried as they are.
                if (reading.Status == SensorStatus.CalibrationLost || reading.Status == SensorStatus.NotInitialized) _initialized = false;
                Unavailable(nowMs, reading.Detail);
                return;
            }
            _energy.AddSample(nowMs, reading.PowerMilliwatts);
            PowerW = reading.PowerMilliwatts / 1000;
            Healthy = true;
            Status = "ok";
            SetRegisters(_energy.Positive.WattHours, _energy.Negative.WattHours);
        }

        private void Unavailable(long nowMs, string detail)
        {
            _energy.MarkUnavailable(nowMs);
            Fail(detail);
        }
    }

    /// <summary>An Eastron SDM120/SDM630 over Modbus RTU: its own cumulative registers, read through the core's reader.</summary>
    internal sealed class SdmChannel : PowerChannel
    {
        private readonly EastronMeterReader _reader;
        private readonly bool _swapDirections;

        /// <param name="swapDirections">True when the energy of interest flows in the meter's export direction.</param>
        public SdmChannel(EastronMeterReader reader, bool swapDirections)
        {
            _reader = reader;
            _swapDirections = swapDirections;
        }

        public override void Sample(long nowMs)
        {
            try
            {
                SdmReading reading = _reader.Read();
                PowerW = _swapDirections ? -reading.TotalActivePowerW : reading.TotalActivePowerW;
                if (_swapDirections) SetRegisters(reading.ExportWh, reading.ImportWh);
                else SetRegisters(reading.ImportWh, reading.ExportWh);
                Healthy = true;
                Status = "ok";
            }
            catch (ModbusException ex)
            {
                Fail(ex.Message);
            }
            catch (MeterValueException ex)
            {
                Fail(ex.Message);
            }
        }
    }
}
