using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CommunityGrid.Meter.Esp32.Tests;

/// <summary>
/// Guards for defects found by compiling the app against the real nanoFramework libraries and reading their sources
/// (issue 15, cases 1-4). The app cannot run here, so these read its sources for the shape each fix depends on; the
/// logic itself lives in the portable core where it is unit-tested (named in each test). Each fails on the code before
/// the fix. AppBehaviourTests runs GatewayLink and LcdScreen themselves for cases 2 and 3.
/// </summary>
public sealed class DeviceDefectGuardTests
{
    private static readonly string[] AppFiles = EspProject.SourceFiles(EspProject.AppDir);

    private static string Source(string relative) => File.ReadAllText(EspProject.PathOf(EspProject.AppDir + "/" + relative));

    private static string[] LinesContaining(string text) =>
        AppFiles.SelectMany(f => File.ReadAllLines(f).Select(l => (File: Path.GetFileName(f), Line: l.Trim())))
            .Where(x => x.Line.Contains(text, StringComparison.Ordinal) && !x.Line.StartsWith("//", StringComparison.Ordinal)
                && !x.Line.StartsWith("///", StringComparison.Ordinal))
            .Select(x => x.File + ": " + x.Line)
            .ToArray();

    /// <summary>Case 1: the CA file reaches X509Certificate only through the core's CaCertificateFile (CaCertificateFileTests).</summary>
    [Fact]
    public void The_CA_file_reaches_X509Certificate_only_through_CaCertificateFile()
    {
        string[] reads = LinesContaining("MqttCaFile");
        Assert.NotEmpty(reads);
        Assert.All(reads, line => Assert.Contains("CaCertificateFile.Load(", line));
        string[] constructions = LinesContaining("new X509Certificate(");
        Assert.Single(constructions);
        Assert.Contains("GatewayLink.cs", constructions[0]);
        Assert.Contains("new X509Certificate(caCert)", constructions[0]);
    }

    /// <summary>
    /// Case 2: every client the link makes is disposed: a refused or timed-out connect (in a finally, before the client
    /// could be kept) and a dropped or replaced one (Close). Before, a failed connect left its socket, TLS session and
    /// thread behind, and an unenrolled meter retried into memory exhaustion.
    /// </summary>
    [Theory]
    [InlineData("Network/GatewayLink.cs")]
    [InlineData("Network/HomeAssistantLink.cs")] // the household broker's client (issue 16) follows the same pattern
    public void Every_MQTT_client_is_disposed_on_every_path(string file)
    {
        string link = Source(file);
        Assert.Equal(["GatewayLink.cs", "HomeAssistantLink.cs"], LinesContaining("new MqttClient(").Select(l => l.Split(':')[0]));
        string connect = Regex.Match(link, @"private void TryConnect\(long nowMs\)\s*\{(?<body>.*?)\n        \}", RegexOptions.Singleline).Groups["body"].Value;
        Assert.Contains("client = new MqttClient(", connect);
        Assert.Matches(@"_client = client;\s*client = null;", connect);
        Assert.Matches(@"finally\s*\{[^}]*if \(client != null\) Release\(client\);", connect);
        string close = Regex.Match(link, @"private void Close\(\)\s*\{(?<body>.*?)\n        \}", RegexOptions.Singleline).Groups["body"].Value;
        Assert.Contains("Release(old);", close);
        string release = Regex.Match(link, @"private void Release\(MqttClient client\)\s*\{(?<body>.*?)\n        \}", RegexOptions.Singleline).Groups["body"].Value;
        Assert.Matches(@"finally\s*\{\s*client\.Dispose\(\);\s*\}", release);
    }

    /// <summary>
    /// Case 3: the BOOT button pin is opened once per boot. A configuration error opens a default screen; when the
    /// file is fixed without a reboot the configured screen used to open the pin again, which nanoFramework refuses.
    /// </summary>
    [Fact]
    public void The_page_button_pin_is_opened_once_per_boot()
    {
        string[] opens = LinesContaining("OpenPin(");
        Assert.Single(opens);
        Assert.Matches(@"LcdScreen\.cs: if \(s_button == null\) s_button = new GpioController\(\)\.OpenPin\(Pins\.PageButton", opens[0]);
        Assert.Contains("private static GpioPin? s_button;", Source("Display/LcdScreen.cs"));
        // The app reuses the error screen when it is the configured one instead of opening a second display.
        Assert.Contains("!_lcd.Fits(config.LcdAddress, config.LcdColumns, config.LcdRows)", Source("MeterApp.cs"));
    }

    /// <summary>
    /// Case 4: what installers deploy is a Release build, where every Debug.WriteLine is compiled away
    /// ([Conditional("DEBUG")]): the app's diagnostics go through Console.WriteLine, which is not conditional.
    /// </summary>
    [Fact]
    public void No_diagnostic_is_compiled_away_in_a_Release_build()
    {
        Assert.Empty(LinesContaining("Debug.Write"));
        Assert.Empty(LinesContaining("Debug.Print"));
        Assert.True(LinesContaining("Console.WriteLine(").Length >= 10, "the app's diagnostics are Console lines");
    }

    /// <summary>
    /// Case 4: the LCD's Wi-Fi state follows the network's availability events. WifiNetworkHelper.Status only says how
    /// the connect call ended, so the LCD kept showing "WiFi up" after a drop.
    /// </summary>
    [Fact]
    public void The_wifi_state_follows_availability_events_not_the_connect_status()
    {
        string wifi = Source("Network/WifiLink.cs");
        Assert.Contains("NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;", wifi);
        Assert.Contains("Interlocked.Exchange(ref s_available, e.IsAvailable ? 1 : 0);", wifi);
        string isConnected = wifi.Split('\n').Single(l => l.Contains("public static bool IsConnected", StringComparison.Ordinal));
        Assert.DoesNotContain("Status", isConnected);
        Assert.Contains("_state.WifiConnected = WifiLink.IsConnected;", Source("MeterApp.cs"));
    }

    /// <summary>
    /// Case 6: acks are applied only through the core's GatewayDownlink (GatewayDownlinkTests), which keeps a rejection
    /// and its reason for the LCD; the app used to release the reading and show "Acked #N" for a rejected one.
    /// </summary>
    [Fact]
    public void Acks_reach_the_queue_and_the_lcd_only_through_GatewayDownlink()
    {
        Assert.Empty(LinesContaining(".Acknowledge("));
        Assert.Empty(LinesContaining("GatewayAckCodec.Open("));
        Assert.Single(LinesContaining("_downlink.ApplyAck("));
        Assert.Single(LinesContaining("downlink.Load();"));
    }

    /// <summary>Case 7 on the device: "today" and interval times follow the configured time.zone (PosixTimeZoneTests).</summary>
    [Fact]
    public void Today_and_interval_times_use_the_configured_time_zone()
    {
        string app = Source("MeterApp.cs");
        Assert.Contains("new TodayEnergy(_store, TodayEnergy.DefaultName, config.TimeZone)", app);
        Assert.Contains("_state.TimeZone = config.TimeZone;", app);
    }
}
