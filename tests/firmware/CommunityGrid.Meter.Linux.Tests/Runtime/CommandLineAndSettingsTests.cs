using System;
using System.IO;
using System.Linq;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Linux.Runtime;

namespace CommunityGrid.Meter.Linux.Tests.Runtime;

public sealed class CommandLineAndSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cg-config-").FullName;

    [Fact]
    public void Command_line_takes_simulation_options_only_with_simulate()
    {
        var command = CommandLine.Parse(new[] { "--config", "m.json", "--simulate", "--time-scale", "60", "--start", "2026-06-21T11:00:00Z" });
        Assert.Equal(("m.json", true, 60), (command.ConfigPath, command.Simulate, command.TimeScale));
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 11, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), command.StartUnixMs);
        Assert.Contains("--simulate", Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--time-scale", "60" })).Message);
        Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--simulate" }));
        Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--simulate", "--time-scale", "0" }));
        Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--bogus" }));
    }

    [Fact]
    public void A_virtual_start_in_the_future_is_refused_with_the_reason()
    {
        var error = Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--simulate", "--start", "2099-01-01T00:00:00Z" }));
        Assert.Contains("is in the future: a gateway rejects readings for intervals that have not ended (FutureInterval)", error.Message);
    }

    [Fact]
    public void A_simulated_meter_takes_initial_registers_a_real_one_does_not()
    {
        var command = CommandLine.Parse(new[] { "--config", "m.json", "--simulate", "--initial-import", "5000000", "--initial-export", "1200" });
        Assert.Equal(new long[] { 5_000_000, 1200, 0 }, command.InitialRegisters);
        Assert.Null(CommandLine.Parse(new[] { "--config", "m.json", "--simulate" }).InitialRegisters);
        Assert.Contains("add --simulate", Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--initial-import", "5" })).Message);
        Assert.Contains("--initial-pv takes a register in Wh", Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--simulate", "--initial-pv", "-5" })).Message);
        Assert.Throws<ConfigException>(() => CommandLine.Parse(new[] { "--config", "m.json", "--simulate", "--initial-import", "1e9" }));
    }

    [Fact]
    public void A_full_config_file_is_read_with_paths_relative_to_it()
    {
        string path = Write("""
            {
              "meterId": "meter-0001", "chainId": "communitygrid-test", "keyFile": "keys/meter.key",
              "gatewayPublicKeys": ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"],
              "intervalSeconds": 900, "dataDirectory": "/var/lib/cgrid-meter", "resendSeconds": 60,
              "broker": { "url": "mqtts://gateway.local", "caFile": "ca.pem", "reconnectMaxSeconds": 60 },
              "sensor": { "type": "sdm630", "serialPort": "/dev/ttyUSB0", "baudRate": 9600, "gridSlaveId": 1, "pvSlaveId": 2 },
              "lcd": { "enabled": true, "i2cBus": 1, "address": 39, "size": "20x4" }
            }
            """);
        MeterSettings settings = MeterSettings.Load(path);
        Assert.Equal(Path.Combine(_directory, "keys", "meter.key"), settings.KeyFile);
        Assert.Equal("/var/lib/cgrid-meter", settings.DataDirectory);
        Assert.Equal((true, "gateway.local", 8883, Path.Combine(_directory, "ca.pem")), (settings.Broker.UseTls, settings.Broker.Host, settings.Broker.Port, settings.Broker.CaFile));
        Assert.Equal((SensorKind.Sdm630, 2), (settings.Sensor.Kind, settings.Sensor.PvSlaveId));
        Assert.Equal((true, 0x27, 20, 4), (settings.Lcd.Enabled, settings.Lcd.Address, settings.Lcd.Columns, settings.Lcd.Rows));
    }

    [Fact]
    public void Fallback_brokers_follow_the_street_gateway_and_share_its_scheme()
    {
        string Config(string fallbacks) => Write($$"""
            {
              "meterId": "meter-0001", "chainId": "communitygrid-test", "keyFile": "meter.key",
              "gatewayPublicKeys": ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"],
              "dataDirectory": "data", "broker": { "url": "mqtt://gateway-a.local", "fallbackUrls": [{{fallbacks}}] }
            }
            """);
        BrokerSettings broker = MeterSettings.Load(Config("\"mqtt://gateway-b.local:1884\", \"mqtt://gateway-c.local\"")).Broker;
        Assert.Equal(new[] { new BrokerEndpoint("gateway-a.local", 1883), new BrokerEndpoint("gateway-b.local", 1884), new BrokerEndpoint("gateway-c.local", 1883) },
            broker.Endpoints);
        string mixed = Assert.Throws<ConfigException>(() => MeterSettings.Load(Config("\"mqtts://gateway-b.local\""))).Message;
        Assert.Contains("same scheme", mixed);
    }

    [Fact]
    public void The_lcd_takes_a_time_zone_rule_and_a_currency()
    {
        string path = Write("""
            {
              "meterId": "meter-0001", "chainId": "communitygrid-test", "keyFile": "meter.key",
              "gatewayPublicKeys": ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"],
              "dataDirectory": "data", "broker": { "url": "mqtt://gateway.local" },
              "lcd": { "enabled": true, "timeZone": "GMT0BST,M3.5.0/1,M10.5.0", "currency": "GBP", "currencyDecimals": 2 }
            }
            """);
        LcdSettings lcd = MeterSettings.Load(path).Lcd;
        Assert.Equal(("GMT0BST,M3.5.0/1,M10.5.0", "GBP", 2), (lcd.TimeZone.Rule, lcd.Currency, lcd.CurrencyDecimals));
    }

    [Theory]
    [InlineData("\"timeZone\": \"Europe/London\"", "\"lcd.timeZone\": time zone 'Europe/London' is a zone name")]
    [InlineData("\"timeZone\": \"GMT0BST\"", "no rule for when BST starts and ends")]
    [InlineData("\"currency\": \"eur\"", "\"lcd.currency\" must be three capital letters")]
    [InlineData("\"currencyDecimals\": 7", "\"lcd.currencyDecimals\" must be 0..4")]
    public void Bad_lcd_settings_are_refused_by_name(string field, string message)
    {
        string path = Write($$"""
            {
              "meterId": "meter-0001", "chainId": "communitygrid-test", "keyFile": "meter.key",
              "gatewayPublicKeys": ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"],
              "dataDirectory": "data", "broker": { "url": "mqtt://gateway.local" },
              "lcd": { "enabled": true, {{field}} }
            }
            """);
        Assert.Contains(message, Assert.Throws<ConfigException>(() => MeterSettings.Load(path)).Message);
    }

    [Theory]
    [InlineData("meterId", "\"a/b\"", "meterId")]
    [InlineData("intervalSeconds", "700", "intervalSeconds")]
    [InlineData("colour", "\"red\"", "colour")]
    [InlineData("gatewayPublicKeys", "[\"abcd\"]", "gateway public key")]
    [InlineData("installerPublicKeys", "[\"zz\"]", "installer public key \"zz\" is not hex")]
    [InlineData("broker", "{ \"url\": \"http://x\" }", "broker.url")]
    [InlineData("sensor", "{ \"type\": \"sdm630\" }", "sensor.serialPort")]
    public void Config_mistakes_are_named(string field, string value, string named)
    {
        var fields = new System.Collections.Generic.Dictionary<string, string>
        {
            ["meterId"] = "\"m\"",
            ["chainId"] = "\"c\"",
            ["keyFile"] = "\"k\"",
            ["gatewayPublicKeys"] = "[\"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\"]",
            ["dataDirectory"] = "\"d\"",
            ["broker"] = "{ \"url\": \"mqtt://127.0.0.1:1883\" }",
        };
        MeterSettings.Load(Write("{" + string.Join(",", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}"));
        fields[field] = value;
        string path = Write("{" + string.Join(",", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}");
        Assert.Contains(named, Assert.Throws<ConfigException>(() => MeterSettings.Load(path)).Message);
    }

    [Fact]
    public void Reconnect_delays_double_up_to_the_cap_with_jitter_in_the_upper_half()
    {
        var backoff = new Backoff(capMs: 4000, new Random(1));
        int[] steps = { 500, 1000, 2000, 4000, 4000, 4000 };
        foreach (int step in steps)
        {
            int delay = backoff.NextDelayMs();
            Assert.InRange(delay, step / 2, step);
        }
        backoff.Reset();
        Assert.InRange(backoff.NextDelayMs(), 250, 500);
    }

    private string Write(string json)
    {
        string path = Path.Combine(_directory, "meter.json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
