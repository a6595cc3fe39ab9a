using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Tests.Configuration;

/// <summary>
/// A meter lists the community's other gateways as fallbacks (mqtt.fallback.hosts) and moves on when one is down: the
/// configured chain's <see cref="LinkTarget"/>, which the ESP32 app and the Linux meter connect through.
/// </summary>
public sealed class FallbackHostsTests
{
    [Fact]
    public void The_street_gateway_comes_first_then_each_fallback_in_turn()
    {
        MeterConfig config = MeterConfig.Parse(ConfigTexts.With("mqtt.fallback.hosts = gateway-b.local, 10.0.0.3 ,gateway-d.local"));
        Assert.Equal(new[] { config.MqttHost, "gateway-b.local", "10.0.0.3", "gateway-d.local" }, config.MqttHosts);
        LinkTarget hosts = LinkTarget.FromConfig(config);
        Assert.Equal(config.MqttHost, hosts.Host);
        Assert.Equal("gateway-b.local", hosts.Failed());
        Assert.Equal("10.0.0.3", hosts.Failed());
        Assert.Equal("gateway-d.local", hosts.Failed());
        Assert.Equal(config.MqttHost, hosts.Failed());
    }

    [Fact]
    public void Without_fallbacks_the_street_gateway_is_retried()
    {
        MeterConfig config = MeterConfig.Parse(ConfigTexts.With("mqtt.fallback.hosts = "));
        Assert.Empty(config.MqttFallbackHosts);
        LinkTarget hosts = LinkTarget.FromConfig(config);
        Assert.Equal(config.MqttHost, hosts.Failed());
    }

    [Theory]
    [InlineData("gateway-b.local:8883", "contains a port")]
    [InlineData("mqtts://gateway-b.local", "is not a host name")]
    [InlineData("gateway-b.local,,gateway-c.local", "is not a host name")]
    public void A_bad_fallback_is_refused_with_its_key(string value, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => MeterConfig.Parse(ConfigTexts.With("mqtt.fallback.hosts = " + value)));
        Assert.Contains("mqtt.fallback.hosts", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
