using System;
using System.Threading;
using CommunityGrid.Meter.Esp32.Hardware;

namespace CommunityGrid.Meter.Esp32
{
    /// <summary>Entry point: pins first (before any device is opened), then the meter. Everything else is in MeterApp.</summary>
    public static class Program
    {
        public static void Main()
        {
            Pins.Configure();
            try
            {
                new MeterApp().Run();
            }
            catch (Exception ex)
            {
                // A fault at start-up (e.g. a damaged device key) stops here, visible on the serial console;
                // the meter does not guess its way around it.
                Console.WriteLine("METER STOPPED: " + ex.Message);
            }
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
