using System;

namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>Where the meter's cumulative registers come from: integrated power samples, or a meter's own registers.</summary>
    public interface IEnergySource : IDisposable
    {
        /// <summary>
        /// True when <see cref="SampleAt"/> is exact for any instant not yet sampled (a simulation computes power from
        /// time). Hardware reads the present, so the meter never asks it about an instant far in the past.
        /// </summary>
        bool CanReplay { get; }

        /// <summary>False until the registers hold a measurement (a Modbus meter not yet read); no reading is made before.</summary>
        bool Ready { get; }

        long ImportWh { get; }

        long ExportWh { get; }

        long PvWh { get; }

        /// <summary>Latest connection-point power: positive importing, negative exporting.</summary>
        long GridPowerW { get; }

        long PvPowerW { get; }

        /// <summary>What went wrong at the last sample, or null when it was good.</summary>
        string? Problem { get; }

        /// <summary>Takes a sample stamped <paramref name="unixMs"/> and brings the registers up to that instant.</summary>
        void SampleAt(long unixMs);
    }
}
