using System;
using CommunityGrid.Meter.Display;

namespace CommunityGrid.Meter.Tests.Display;

public class LcdRendererTests
{
    private static MeterDisplayState Sample() => new()
    {
        PvPowerW = 1234,
        GridPowerW = -567,
        TodayImportWh = 12345,
        TodayExportWh = 3210,
        TodayPvWh = 20000,
        HasPrice = true,
        PriceMinorPerKwh = 21,
        HasBalance = true,
        BalanceMinor = -1234,
        CurrencyCode = "EUR",
        LastAcknowledgedSequence = 123,
        LastAcknowledgedIntervalStart = 1709251200 + 14 * 3600 + 15 * 60,
        WifiConnected = true,
        MqttConnected = false,
        QueueLength = 3,
    };

    private static string[] Small(LcdPage page, MeterDisplayState state) => new LcdRenderer(16, 2).Render(page, state);

    private static string[] Large(LcdPage page, MeterDisplayState state) => new LcdRenderer(20, 4).Render(page, state);

    [Theory]
    [InlineData(LcdPage.PvPower, "PV        1234 W", "Today 20.000 kWh")]
    [InlineData(LcdPage.GridPower, "Export     567 W", "Home use   667 W")]
    [InlineData(LcdPage.Today, "Imp   12.345 kWh", "Exp    3.210 kWh")]
    [InlineData(LcdPage.Price, "Price now       ", "EUR/kWh     0.21")]
    [InlineData(LcdPage.Balance, "Balance         ", "EUR       -12.34")]
    [InlineData(LcdPage.LastReading, "Acked       #123", "Interval  14:15Z")]
    [InlineData(LcdPage.Connectivity, "WiFi          up", "MQTT down    Q 3")]
    public void SixteenByTwoFrames(LcdPage page, string row0, string row1)
    {
        Assert.Equal(new[] { row0, row1 }, Small(page, Sample()));
    }

    [Theory]
    [InlineData(LcdPage.PvPower, "PV generation       ", "Now           1234 W", "Today     20.000 kWh", "                    ")]
    [InlineData(LcdPage.GridPower, "Grid connection     ", "Export         567 W", "Home use       667 W", "PV            1234 W")]
    [InlineData(LcdPage.Today, "Today               ", "Import    12.345 kWh", "Export     3.210 kWh", "PV        20.000 kWh")]
    [InlineData(LcdPage.Price, "Internal price      ", "EUR/kWh         0.21", "                    ", "                    ")]
    [InlineData(LcdPage.Balance, "Balance             ", "EUR           -12.34", "                    ", "                    ")]
    [InlineData(LcdPage.LastReading, "Last acknowledged   ", "Reading         #123", "Interval   14:15 UTC", "Waiting            3")]
    [InlineData(LcdPage.Connectivity, "Network             ", "Wi-Fi             up", "MQTT            down", "Queued             3")]
    public void TwentyByFourFrames(LcdPage page, string row0, string row1, string row2, string row3)
    {
        Assert.Equal(new[] { row0, row1, row2, row3 }, Large(page, Sample()));
    }

    [Fact]
    public void ImportingShowsImportAndUnknownValuesShowDashes()
    {
        MeterDisplayState state = Sample();
        state.GridPowerW = 800;
        state.HasPrice = false;
        state.HasBalance = false;
        state.LastAcknowledgedSequence = 0;
        state.LastAcknowledgedIntervalStart = -1;
        Assert.Equal(new[] { "Import     800 W", "Home use  2034 W" }, Small(LcdPage.GridPower, state));
        Assert.Equal("EUR/kWh       --", Small(LcdPage.Price, state)[1]);
        Assert.Equal("EUR               --", Large(LcdPage.Balance, state)[1]);
        Assert.Equal(new[] { "Acked       none", "Interval      --" }, Small(LcdPage.LastReading, state));
    }

    [Fact]
    public void DropsShowOnTheLargeNetworkPage()
    {
        MeterDisplayState state = Sample();
        state.QueueDropped = 2;
        state.QueueLength = 192;
        Assert.Equal("Queued/dropped 192/2", Large(LcdPage.Connectivity, state)[3]);
    }

    [Fact]
    public void OtherCurrenciesAndDecimalsAreHandFormatted()
    {
        MeterDisplayState state = Sample();
        state.CurrencyCode = "jpy";
        state.CurrencyDecimals = 0;
        state.PriceMinorPerKwh = 31;
        Assert.Equal("JPY/kWh       31", Small(LcdPage.Price, state)[1]);
        state.CurrencyCode = "\u20AC";
        Assert.Equal("???/kWh       31", Small(LcdPage.Price, state)[1]);
    }

    [Fact]
    public void ValuesTooWideForTheLineShowAsOverflowMarks()
    {
        MeterDisplayState state = Sample();
        state.TodayImportWh = 123456789012;
        Assert.Equal("################", Small(LcdPage.Today, state)[0]);
    }

    [Fact]
    public void EveryPageFrameIsExactlyTheDisplaySizeAndAscii()
    {
        MeterDisplayState state = Sample();
        state.PvPowerW = long.MaxValue / 2;
        state.BalanceMinor = long.MinValue;
        foreach (var (columns, rows) in new[] { (16, 2), (20, 4) })
        {
            var renderer = new LcdRenderer(columns, rows);
            foreach (LcdPage page in Enum.GetValues<LcdPage>())
            {
                string[] frame = renderer.Render(page, state);
                Assert.Equal(rows, frame.Length);
                foreach (string row in frame)
                {
                    Assert.Equal(columns, row.Length);
                    foreach (char c in row) Assert.InRange(c, ' ', '}');
                }
            }
        }
    }

    [Fact]
    public void RejectsUnsupportedGeometry()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LcdRenderer(16, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LcdRenderer(4, 2));
    }

    /// <summary>Issue 15 case 7: intervals show in the configured local time, named by the zone on a 20x4.</summary>
    [Fact]
    public void LastReadingShowsTheIntervalInLocalTime()
    {
        MeterDisplayState state = Sample();
        state.TimeZone = CommunityGrid.Meter.Time.PosixTimeZone.Parse("CET-1CEST,M3.5.0,M10.5.0/3");
        // 2024-03-01 14:15 UTC is 15:15 CET (winter).
        Assert.Equal("Interval   15:15", Small(LcdPage.LastReading, state)[1]);
        Assert.Equal("Interval   15:15 CET", Large(LcdPage.LastReading, state)[2]);
        state.LastAcknowledgedIntervalStart = 1719843300; // 2024-07-01 14:15 UTC, 16:15 CEST
        Assert.Equal("Interval  16:15 CEST", Large(LcdPage.LastReading, state)[2]);
    }
}
