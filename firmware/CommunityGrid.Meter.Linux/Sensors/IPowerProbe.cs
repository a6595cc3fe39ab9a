namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>Instantaneous power at the connection point and at the PV inverter, in mW.</summary>
    public interface IPowerProbe : System.IDisposable
    {
        /// <summary>Reads both powers; a value is null when that sensor failed (its problem in <paramref name="problem"/>).</summary>
        void Read(long unixMs, out long? gridMilliwatts, out long? pvMilliwatts, out string? problem);
    }
}
