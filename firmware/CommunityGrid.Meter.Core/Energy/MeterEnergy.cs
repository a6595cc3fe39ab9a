namespace CommunityGrid.Meter.Energy
{
    /// <summary>
    /// The meter's three cumulative registers (like OBIS 1.8.0 import, 2.8.0 export, and PV production):
    /// one integrator for the connection point (positive power = import from the grid, negative =
    /// export to it) and one for the PV inverter output (positive = production).
    /// </summary>
    public sealed class MeterEnergy
    {
        public MeterEnergy(long maxGapMilliseconds, long importWh, long exportWh, long pvProductionWh)
        {
            Grid = new EnergyIntegrator(maxGapMilliseconds, importWh, exportWh);
            Pv = new EnergyIntegrator(maxGapMilliseconds, pvProductionWh, 0);
        }

        public EnergyIntegrator Grid { get; }

        public EnergyIntegrator Pv { get; }

        public long ImportWh => Grid.Positive.WattHours;

        public long ExportWh => Grid.Negative.WattHours;

        /// <summary>PV production; an inverter's standby draw at night goes to Pv.Negative and is not subtracted.</summary>
        public long PvProductionWh => Pv.Positive.WattHours;
    }
}
