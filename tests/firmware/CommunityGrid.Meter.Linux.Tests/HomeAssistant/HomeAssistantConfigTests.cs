using System.IO;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.HomeAssistant;

namespace CommunityGrid.Meter.Linux.Tests.HomeAssistant;

/// <summary>The homeAssistant section of the meter's config (off when absent) and the exact number formats of the states.</summary>
public sealed class HomeAssistantConfigTests
{
    private static MeterSettings Load(string homeAssistant)
    {
        string dir = Directory.CreateTempSubdirectory("cg-ha-config-").FullName;
        string path = Path.Combine(dir, "meter.json");
        File.WriteAllText(path, $$"""
            { "meterId": "m.1", "chainId": "c", "keyFile": "meter.key",
              "gatewayPublicKeys": ["{{new string('a', 64)}}"], "dataDirectory": "data",
              "broker": { "url": "mqtt://127.0.0.1:1883" }, "sensor": { "type": "simulated" }, "lcd": { "enabled": false }
              {{homeAssistant}} }
            """);
        try
        {
            return MeterSettings.Load(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Home_assistant_is_off_unless_configured()
    {
        Assert.Null(Load("").HomeAssistant);
        HomeAssistantSettings on = Load(""", "homeAssistant": { "url": "mqtt://192.168.1.10", "username": "ha", "password": "pw" }""").HomeAssistant!;
        Assert.Equal(("192.168.1.10", 1883, "homeassistant", "ha"), (on.Broker.Host, on.Broker.Port, on.DiscoveryPrefix, on.Username));
    }

    [Theory]
    [InlineData(""", "homeAssistant": { }""", "homeAssistant.url")]
    [InlineData(""", "homeAssistant": { "url": "http://x" }""", "homeAssistant.url")]
    [InlineData(""", "homeAssistant": { "url": "mqtt://x", "username": "ha" }""", "go together")]
    [InlineData(""", "homeAssistant": { "url": "mqtt://x", "discoveryPrefix": "ha/#" }""", "discoveryPrefix")]
    [InlineData(""", "homeAssistant": { "url": "mqtt://x", "topic": "y" }""", "topic")]
    public void A_bad_home_assistant_section_names_what_is_wrong(string section, string expected)
    {
        ConfigException e = Assert.Throws<ConfigException>(() => Load(section));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void States_are_exact_decimals_and_ids_are_safe_for_discovery()
    {
        Assert.Equal("12.345", HomeAssistantDiscovery.Kwh(12_345));
        Assert.Equal("0.007", HomeAssistantDiscovery.Kwh(7));
        Assert.Equal("-12.34", HomeAssistantDiscovery.Decimal(-1234, 2));
        Assert.Equal("0.05", HomeAssistantDiscovery.Decimal(5, 2));
        Assert.Equal("7", HomeAssistantDiscovery.Decimal(7, 0));
        var discovery = new HomeAssistantDiscovery("m.1", "homeassistant", "cgrid-meter (Linux)", "v");
        Assert.Equal("homeassistant/sensor/communitygrid_m_1/pv_energy/config", discovery.ConfigTopic(HomeAssistantDiscovery.PvEnergy));
        // A first reading has no previous one to take power from: only energies.
        Assert.Equal(3, discovery.States(new MeterSample(900, 1, 2, 3), null).Length);
        Assert.Contains(discovery.States(new MeterSample(1800, 501, 2, 3), new MeterSample(900, 1, 2, 3)),
            s => s.Topic == "communitygrid/m_1/import_power" && s.Value == "2000");
    }
}
