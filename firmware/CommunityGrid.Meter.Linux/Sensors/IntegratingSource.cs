using CommunityGrid.Meter.Energy;

namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>Registers integrated from power samples (INA219/INA226 or the simulation) by the core's <see cref="MeterEnergy"/>.</summary>
    public sealed class IntegratingSource : IEnergySource
    {
        private readonly IPowerProbe _probe;
        private readonly MeterEnergy _energy;

        /// <param name="maxGapMs">Longest gap between samples over which the last power is held (see EnergyIntegrator).</param>
        /// <param name="canReplay">Whether the probe computes power for any instant (simulation).</param>
        public IntegratingSource(IPowerProbe probe, long importWh, long exportWh, long pvWh, long maxGapMs, bool canReplay)
        {
            _probe = probe;
            _energy = new MeterEnergy(maxGapMs, importWh, exportWh, pvWh);
            CanReplay = canReplay;
        }

        public bool CanReplay { get; }

        /// <summary>Integrated registers continue from the persisted values, so they are meaningful from the start.</summary>
        public bool Ready => true;

        public long ImportWh => _energy.ImportWh;

        public long ExportWh => _energy.ExportWh;

        public long PvWh => _energy.PvProductionWh;

        public long GridPowerW { get; private set; }

        public long PvPowerW { get; private set; }

        public string? Problem { get; private set; }

        public void SampleAt(long unixMs)
        {
            _probe.Read(unixMs, out long? grid, out long? pv, out string? problem);
            Problem = problem;
            if (grid is long gridMw)
            {
                _energy.Grid.AddSample(unixMs, gridMw);
                GridPowerW = gridMw / 1000;
            }
            else
            {
                _energy.Grid.MarkUnavailable(unixMs);
            }
            if (pv is long pvMw)
            {
                _energy.Pv.AddSample(unixMs, pvMw);
                PvPowerW = pvMw / 1000;
            }
            else
            {
                _energy.Pv.MarkUnavailable(unixMs);
            }
        }

        public void Dispose() => _probe.Dispose();
    }
}
