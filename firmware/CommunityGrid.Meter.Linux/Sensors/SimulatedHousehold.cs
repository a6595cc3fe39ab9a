using System;
using System.Text;

namespace CommunityGrid.Meter.Linux.Sensors
{
    /// <summary>
    /// A deterministic stand-in for a house with PV: power is a pure function of (meter id, UTC time), so two runs
    /// of the same meter over the same virtual hours measure the same energy. PV follows a daylight half-sine
    /// (06:00–20:00 UTC, peak scaled per house); consumption is a base load plus a morning bump and an evening peak
    /// with a slow ripple. Every house differs through constants derived from its id (FNV-1a, not string hashing,
    /// which .NET randomises per process). The community simulator's realistic profiles replace this later.
    /// </summary>
    public sealed class SimulatedHousehold : IPowerProbe
    {
        private const double SunriseHour = 6.0;
        private const double SunsetHour = 20.0;
        private readonly double _pvPeakW;
        private readonly double _baseLoadW;
        private readonly double _eveningPeakW;
        private readonly double _eveningHour;
        private readonly double _ripplePhase;

        public SimulatedHousehold(string meterId)
        {
            ArgumentNullException.ThrowIfNull(meterId);
            uint seed = Fnv1a(meterId);
            _pvPeakW = 2500 + seed % 3500;                     // 2.5–6 kWp systems
            _baseLoadW = 150 + (seed >> 8) % 250;              // fridge, standby, network
            _eveningPeakW = 1200 + (seed >> 16) % 1800;        // cooking, washing
            _eveningHour = 18.0 + ((seed >> 24) % 25) / 10.0;  // 18:00–20:30
            _ripplePhase = (seed % 628) / 100.0;
        }

        public double PvPowerW(long unixMs)
        {
            double hour = HourOfDay(unixMs);
            if (hour <= SunriseHour || hour >= SunsetHour) return 0;
            return _pvPeakW * Math.Sin(Math.PI * (hour - SunriseHour) / (SunsetHour - SunriseHour));
        }

        public double LoadPowerW(long unixMs)
        {
            double hour = HourOfDay(unixMs);
            double evening = _eveningPeakW * Bump(hour, _eveningHour, 1.2);
            double morning = 0.4 * _eveningPeakW * Bump(hour, 7.5, 0.7);
            double ripple = 80 * Math.Sin(2 * Math.PI * unixMs / 600_000.0 + _ripplePhase);
            return _baseLoadW + evening + morning + ripple;
        }

        public void Read(long unixMs, out long? gridMilliwatts, out long? pvMilliwatts, out string? problem)
        {
            double pv = PvPowerW(unixMs);
            double grid = LoadPowerW(unixMs) - pv;
            gridMilliwatts = (long)Math.Round(grid * 1000);
            pvMilliwatts = (long)Math.Round(pv * 1000);
            problem = null;
        }

        public void Dispose()
        {
        }

        private static double HourOfDay(long unixMs)
        {
            long msOfDay = ((unixMs % 86_400_000L) + 86_400_000L) % 86_400_000L;
            return msOfDay / 3_600_000.0;
        }

        private static double Bump(double hour, double centre, double width)
        {
            double d = (hour - centre) / width;
            return Math.Exp(-d * d);
        }

        private static uint Fnv1a(string text)
        {
            uint hash = 2166136261;
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                hash ^= b;
                hash *= 16777619;
            }
            return hash;
        }
    }
}
