using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Configuration;

public class MeterConfigTests
{
    [Fact]
    public void AMinimalFileGetsTheDocumentedDefaults()
    {
        MeterConfig config = MeterConfig.Parse(ConfigTexts.With());
        Assert.Equal("HomeNet", config.WifiSsid);
        Assert.Equal(ConfigTexts.Password, config.WifiPassword);
        Assert.Equal("gateway.local", config.MqttHost);
        Assert.True(config.MqttTls);
        Assert.Equal(8883, config.MqttPort);
        Assert.Equal("", config.MqttCaFile);
        Assert.Equal(900, config.IntervalSeconds);
        Assert.Equal(Convert.FromHexString(ConfigTexts.GatewayKey), Assert.Single(config.GatewayKeys));
        Assert.Equal(ChannelSource.Sdm630, config.Grid.Source);
        Assert.Equal(1, config.Grid.Address);
        Assert.False(config.Grid.UseExportRegister);
        Assert.Equal(ChannelSource.None, config.Pv.Source);
        Assert.Equal(0, config.Pv.Address);
        Assert.Equal(9600, config.ModbusBaud);
        Assert.Equal("none", config.ModbusParity);
        Assert.Equal(1, config.ModbusStopBits);
        Assert.Equal(0x27, config.LcdAddress);
        Assert.Equal(16, config.LcdColumns);
        Assert.Equal(2, config.LcdRows);
        Assert.Equal("EUR", config.CurrencyCode);
        Assert.Equal(2, config.CurrencyDecimals);
    }

    [Fact]
    public void WithoutTlsThePortDefaultsTo1883()
    {
        Assert.Equal(1883, MeterConfig.Parse(ConfigTexts.With("mqtt.tls = false")).MqttPort);
    }

    [Fact]
    public void AnOpenNetworkHasNoPassword()
    {
        Assert.Equal("", MeterConfig.Parse(ConfigTexts.With("wifi.password =")).WifiPassword);
        Assert.Equal("", MeterConfig.Parse(ConfigTexts.With("-wifi.password")).WifiPassword);
    }

    [Fact]
    public void InaChannelsTakeHexAddressesAndCalibration()
    {
        MeterConfig config = MeterConfig.Parse(ConfigTexts.With(
            "grid.source = INA226", "grid.address = 0x41", "grid.shunt.microohms = 2000", "grid.current.lsb.microamps = 1000",
            "pv.source = ina219", "pv.address = 0x4F"));
        Assert.Equal(ChannelSource.Ina226, config.Grid.Source);
        Assert.True(config.Grid.IsIna);
        Assert.Equal(0x41, config.Grid.Address);
        Assert.Equal(2000, config.Grid.ShuntMicroohms);
        Assert.Equal(1000, config.Grid.CurrentLsbMicroamps);
        Assert.Equal(ChannelSource.Ina219, config.Pv.Source);
        Assert.Equal(0x4F, config.Pv.Address);
        Assert.Equal(100_000, config.Pv.ShuntMicroohms);
        Assert.Equal(100, config.Pv.CurrentLsbMicroamps);
    }

    [Fact]
    public void SeveralGatewayKeysAndOtherBusesMayShareAnAddress()
    {
        string second = new string('b', 64);
        MeterConfig config = MeterConfig.Parse(ConfigTexts.With(
            "gateway.keys = " + ConfigTexts.GatewayKey + " , " + second.ToUpperInvariant(), "grid.source = sdm630", "grid.address = 64",
            "pv.source = ina219", "pv.address = 0x40", "lcd.address = 0"));
        Assert.Equal(2, config.GatewayKeys.Length);
        Assert.Equal(Convert.FromHexString(second), config.GatewayKeys[1]);
        Assert.Equal(0, config.LcdAddress);
    }

    [Fact]
    public void TheExampleShippedWithTheEsp32AppParsesToWhatItSays()
    {
        string text = File.ReadAllText(ExamplePath());
        MeterConfig config = MeterConfig.Parse(text);
        Assert.Equal("HouseholdWiFi", config.WifiSsid);
        Assert.Equal("change-me", config.WifiPassword);
        Assert.Equal("gateway-street-a.local", config.MqttHost);
        Assert.True(config.MqttTls);
        Assert.Equal(8883, config.MqttPort);
        Assert.Equal("gateway-ca.pem", config.MqttCaFile);
        Assert.Equal("communitygrid-test", config.ChainId);
        Assert.Equal("meter-0001", config.MeterId);
        Assert.Equal(900, config.IntervalSeconds);
        Assert.Equal(Convert.FromHexString(ConfigTexts.GatewayKey), Assert.Single(config.GatewayKeys));
        Assert.Equal(ChannelSource.Sdm630, config.Grid.Source);
        Assert.Equal(1, config.Grid.Address);
        Assert.Equal(ChannelSource.Sdm120, config.Pv.Source);
        Assert.Equal(2, config.Pv.Address);
        Assert.False(config.Pv.UseExportRegister);
        Assert.Equal(9600, config.ModbusBaud);
        Assert.Equal("none", config.ModbusParity);
        Assert.Equal(1, config.ModbusStopBits);
        Assert.Equal(0x27, config.LcdAddress);
        Assert.Equal(16, config.LcdColumns);
        Assert.Equal(2, config.LcdRows);
        Assert.Equal("EUR", config.CurrencyCode);
        Assert.Equal(2, config.CurrencyDecimals);
    }

    [Fact]
    public void TheExampleRoundTripsEntryForEntry()
    {
        // Read independently of the parser: every "key = value" line, in order, with its line number.
        string text = File.ReadAllText(ExamplePath());
        var expected = text.Split('\n')
            .Select((line, i) => (Match: Regex.Match(line, @"^\s*([a-z.]+)\s*=\s*(.*?)\s*$"), Line: i + 1))
            .Where(x => x.Match.Success)
            .Select(x => (x.Match.Groups[1].Value, x.Match.Groups[2].Value, x.Line))
            .ToArray();
        ConfigFile file = ConfigFile.Parse(text, MeterConfig.Keys);
        var parsed = Enumerable.Range(0, file.Count).Select(i => file.GetEntry(i)).Select(e => (e.Key, e.Value, e.LineNumber)).ToArray();
        Assert.Equal(expected, parsed);
        // Written back as plain "key = value" lines, the entries give the same settings.
        string rewritten = string.Join("\r\n", parsed.Select(e => e.Key + " = " + e.Value));
        Assert.Equivalent(MeterConfig.Parse(text), MeterConfig.Parse(rewritten), strict: true);
    }

    [Fact]
    public void TheExampleMentionsEveryKey()
    {
        string text = File.ReadAllText(ExamplePath());
        string[] missing = MeterConfig.Keys.Where(key => !Regex.IsMatch(text, @"(^|[\s#])" + Regex.Escape(key) + @"(\s|=|,|$)", RegexOptions.Multiline)).ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void LoadReadsUtf8FromTheFileStore()
    {
        var store = new MemoryFileStore();
        store.Put(MeterConfig.FileName, Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(ConfigTexts.With("wifi.ssid = Café"))).ToArray());
        Assert.Equal("Café", MeterConfig.Load(store).WifiSsid);
    }

    [Fact]
    public void A_wifi_name_with_characters_above_U_FFFF_loads_and_counts_them_as_four_bytes()
    {
        var store = new MemoryFileStore();
        store.Put(MeterConfig.FileName, Encoding.UTF8.GetBytes(ConfigTexts.With("wifi.ssid = Haus \U0001F3E0 \U0001F4F6")));
        Assert.Equal("Haus \U0001F3E0 \U0001F4F6", MeterConfig.Load(store).WifiSsid);

        // 8 plugs = 32 UTF-8 bytes (16 UTF-16 units): the limit exactly; one more character is past it.
        string eight = string.Concat(Enumerable.Repeat("\U0001F50C", 8));
        Assert.Equal(eight, MeterConfig.Parse(ConfigTexts.With("wifi.ssid = " + eight)).WifiSsid);
        var error = Assert.Throws<ConfigException>(() => MeterConfig.Parse(ConfigTexts.With("wifi.ssid = " + eight + "x")));
        Assert.Contains("wifi.ssid: longer than 32 bytes", error.Message);
    }

    [Fact]
    public void LoadNamesAMissingFile()
    {
        var error = Assert.Throws<ConfigException>(() => MeterConfig.Load(new MemoryFileStore()));
        Assert.Equal(0, error.LineNumber);
        Assert.StartsWith("cgrid-meter.conf is missing; write it to the meter", error.Message);
    }

    [Fact]
    public void LoadRefusesTextThatIsNotUtf8()
    {
        var store = new MemoryFileStore();
        store.Put(MeterConfig.FileName, Encoding.Latin1.GetBytes(ConfigTexts.With("wifi.ssid = Café")));
        var error = Assert.Throws<ConfigException>(() => MeterConfig.Load(store));
        Assert.StartsWith("cgrid-meter.conf is not UTF-8 text", error.Message);
        Assert.EndsWith("save it as UTF-8 and write it again", error.Message);
    }

    private static string ExamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "firmware", "CommunityGrid.Meter.Esp32", "cgrid-meter.conf.example");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("cgrid-meter.conf.example not found above " + AppContext.BaseDirectory);
    }
}
