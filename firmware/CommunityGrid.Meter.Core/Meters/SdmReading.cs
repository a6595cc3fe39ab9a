namespace CommunityGrid.Meter.Meters
{
    /// <summary>One read of an Eastron meter, in integers. Positive power is import (Eastron's sign).</summary>
    public sealed class SdmReading
    {
        public SdmReading(long totalActivePowerW, long importWh, long exportWh, long[] phaseActivePowerW)
        {
            TotalActivePowerW = totalActivePowerW;
            ImportWh = importWh;
            ExportWh = exportWh;
            PhaseActivePowerW = phaseActivePowerW;
        }

        public long TotalActivePowerW { get; }

        /// <summary>The meter's import register converted from kWh (float32) to Wh, rounded half away from zero.</summary>
        public long ImportWh { get; }

        public long ExportWh { get; }

        /// <summary>L1, L2, L3 on a three-phase meter; empty on a single-phase one.</summary>
        public long[] PhaseActivePowerW { get; }
    }
}
