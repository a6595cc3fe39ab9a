using CommunityGrid.Meter.Configuration;

namespace CommunityGrid.Meter.Tests.Configuration;

/// <summary>The ESP32 meter's homeassistant.* keys: off unless a host is set, and every mistake named.</summary>
public class HomeAssistantConfigTests
{
    [Fact]
    public void Home_assistant_is_off_unless_a_host_is_set()
    {
        HomeAssistantConfig off = MeterConfig.Parse(ConfigTexts.With()).HomeAssistant;
        Assert.False(off.Enabled);
        HomeAssistantConfig on = MeterConfig.Parse(ConfigTexts.With("homeassistant.host = 192.168.1.10")).HomeAssistant;
        Assert.True(on.Enabled);
        Assert.Equal(("192.168.1.10", 1883, "", "", "homeassistant"), (on.Host, on.Port, on.Username, on.Password, on.Prefix));
        HomeAssistantConfig all = MeterConfig.Parse(ConfigTexts.With("homeassistant.host = ha.local", "homeassistant.port = 1884",
            "homeassistant.username = meter", "homeassistant.password = pw", "homeassistant.prefix = home/discovery")).HomeAssistant;
        Assert.Equal(("ha.local", 1884, "meter", "pw", "home/discovery"), (all.Host, all.Port, all.Username, all.Password, all.Prefix));
    }

    [Fact]
    public void Every_home_assistant_key_is_a_meter_config_key()
    {
        foreach (string key in HomeAssistantConfig.Keys) Assert.Contains(key, MeterConfig.Keys);
    }

    [Theory]
    [InlineData("homeassistant.port = 1884", "homeassistant.port", "is set but homeassistant.host is not")]
    [InlineData("homeassistant.username = ha", "homeassistant.username", "is set but homeassistant.host is not")]
    [InlineData("homeassistant.host = mqtt://ha.local", "homeassistant.host", "is not a host name")]
    [InlineData("homeassistant.host = ha.local:1883", "homeassistant.host", "no port")]
    [InlineData("homeassistant.host = ha.local|homeassistant.port = 0", "homeassistant.port", "a TCP port is 1..65535")]
    [InlineData("homeassistant.host = ha.local|homeassistant.password = pw", "homeassistant.password", "without homeassistant.username")]
    [InlineData("homeassistant.host = ha.local|homeassistant.prefix = ha/#", "homeassistant.prefix", "is not a topic prefix")]
    [InlineData("homeassistant.host = ha.local|homeassistant.prefix = /ha", "homeassistant.prefix", "is not a topic prefix")]
    [InlineData("homeassistant.host = ha.local|homeassistant.prefix = ha/", "homeassistant.prefix", "is not a topic prefix")]
    public void A_bad_home_assistant_key_names_what_is_wrong(string changes, string key, string expected)
    {
        string text = ConfigTexts.With(changes.Split('|'));
        ConfigException error = Assert.Throws<ConfigException>(() => MeterConfig.Parse(text));
        Assert.Equal(key, error.Key);
        Assert.Equal(ConfigTexts.LineOf(text, key), error.LineNumber);
        Assert.Contains(expected, error.Message);
    }
}
