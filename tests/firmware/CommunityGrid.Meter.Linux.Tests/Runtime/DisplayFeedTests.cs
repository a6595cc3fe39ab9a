using System;
using System.IO;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Runtime;
using CommunityGrid.Meter.Linux.Sensors;
using CommunityGrid.Meter.Linux.Storage;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Time;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

/// <summary>
/// The Linux meter's LCD state (issue 15 case 7): it used to show "Interval --" always, EUR whatever the community
/// uses, Wi-Fi hard-wired up, and "today" from UTC midnight.
/// </summary>
public sealed class DisplayFeedTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cg-display-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Registers set by the test, as a sensor would report them.</summary>
    private sealed class FixedSource : IEnergySource
    {
        public bool CanReplay => false;
        public bool Ready => true;
        public long ImportWh { get; set; }
        public long ExportWh { get; set; }
        public long PvWh { get; set; }
        public long GridPowerW { get; set; }
        public long PvPowerW { get; set; }
        public string? Problem => null;
        public void SampleAt(long unixMs) { }
        public void Dispose() { }
    }

    [Fact]
    public void The_page_shows_the_acked_interval_in_local_time_the_configured_currency_and_the_real_network_state()
    {
        var files = new DirectoryFileStore(_directory);
        var queue = new ReadingQueue(files, new QueueOptions());
        queue.Open();
        var lcd = new LcdSettings(true, 1, 0x27, 20, 4, PosixTimeZone.Parse("CET-1CEST,M3.5.0,M10.5.0/3"), "CHF", 2);
        var display = new MeterDisplayState();
        bool network = false;
        var feed = new DisplayFeed(lcd, files, display, () => network);
        long interval = new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        queue.Append(1, new byte[] { 1 });
        feed.Remember(1, interval);
        queue.Acknowledge(1);
        var source = new FixedSource { ImportWh = 1000 };

        feed.Refresh(interval + 900, source, queue, mqttConnected: true);

        var renderer = new LcdRenderer(20, 4);
        Assert.Equal("Interval  14:00 CEST", renderer.Render(LcdPage.LastReading, display)[2]);
        Assert.Equal("CHF/kWh", renderer.Render(LcdPage.Price, display)[1][..7]);
        Assert.Equal("Wi-Fi           down", renderer.Render(LcdPage.Connectivity, display)[1]);
        network = true;
        feed.Refresh(interval + 901, source, queue, mqttConnected: true);
        Assert.Equal("Wi-Fi             up", renderer.Render(LcdPage.Connectivity, display)[1]);

        // A restart keeps the interval list (it is in the data directory).
        var afterRestart = new MeterDisplayState();
        new DisplayFeed(lcd, new DirectoryFileStore(_directory), afterRestart, () => true).Refresh(interval + 960, source, queue, false);
        Assert.Equal(interval, afterRestart.LastAcknowledgedIntervalStart);
    }

    [Fact]
    public void Today_starts_at_local_midnight()
    {
        var files = new DirectoryFileStore(_directory);
        var queue = new ReadingQueue(files, new QueueOptions());
        queue.Open();
        var lcd = new LcdSettings(true, 1, 0x27, 16, 2, PosixTimeZone.Parse("CET-1CEST,M3.5.0,M10.5.0/3"), "EUR", 2);
        var display = new MeterDisplayState();
        var feed = new DisplayFeed(lcd, files, display, () => true);
        long localMidnight = new DateTimeOffset(2026, 6, 21, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(); // 00:00 CEST on the 22nd
        var source = new FixedSource { ImportWh = 5000 };
        feed.Refresh(localMidnight - 60, source, queue, true);
        source.ImportWh = 5400;
        feed.Refresh(localMidnight - 1, source, queue, true);
        Assert.Equal(400, display.TodayImportWh);
        source.ImportWh = 5500;
        feed.Refresh(localMidnight, source, queue, true); // 22:00 UTC: a new local day, UTC's is two hours away
        Assert.Equal(0, display.TodayImportWh);
    }
}
