using System;
using System.Net.NetworkInformation;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Sensors;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// Fills the LCD's state each refresh with the core's parts, as the ESP32 does: "today" from the configured zone's
    /// local midnight (<see cref="TodayEnergy"/>, kept in the data directory), the last acknowledged reading's interval
    /// (<see cref="RecentIntervals"/>), the configured currency and time zone, and whether the network is up (any
    /// interface besides loopback up, as the OS reports it: a Linux meter may be on Ethernet, so the page's "WiFi" line
    /// shows the network).
    /// </summary>
    public sealed class DisplayFeed
    {
        private readonly MeterDisplayState _display;
        private readonly TodayEnergy _today;
        private readonly RecentIntervals _recent;
        private readonly Func<bool> _networkUp;

        public DisplayFeed(LcdSettings lcd, IFileStore files, MeterDisplayState display, Func<bool>? networkUp = null)
        {
            _display = display;
            _display.CurrencyCode = lcd.Currency;
            _display.CurrencyDecimals = lcd.CurrencyDecimals;
            _display.TimeZone = lcd.TimeZone;
            _today = new TodayEnergy(files, TodayEnergy.DefaultName, lcd.TimeZone);
            _recent = new RecentIntervals(files);
            _recent.Load();
            _networkUp = networkUp ?? NetworkInterface.GetIsNetworkAvailable;
        }

        /// <summary>After every reading made, so the last-acknowledged page can name its interval.</summary>
        /// <exception cref="StorageException">the list could not be saved (it stays right in RAM).</exception>
        public void Remember(long sequence, long intervalStart) => _recent.Remember(sequence, intervalStart);

        public void Refresh(long unixSeconds, IEnergySource source, ReadingQueue queue, bool mqttConnected)
        {
            _display.PvPowerW = source.PvPowerW;
            _display.GridPowerW = source.GridPowerW;
            _display.MqttConnected = mqttConnected;
            _display.WifiConnected = _networkUp();
            _display.QueueLength = queue.Count;
            _display.QueueDropped = queue.DroppedCount;
            _display.LastAcknowledgedSequence = queue.LastAcknowledged;
            _display.LastAcknowledgedIntervalStart = _recent.IntervalOf(queue.LastAcknowledged);
            if (!source.Ready) return;
            _today.Update(unixSeconds, source.ImportWh, source.ExportWh, source.PvWh); // may throw StorageException (day start not saved)
            _display.TodayImportWh = _today.ImportWh;
            _display.TodayExportWh = _today.ExportWh;
            _display.TodayPvWh = _today.PvWh;
        }
    }
}
