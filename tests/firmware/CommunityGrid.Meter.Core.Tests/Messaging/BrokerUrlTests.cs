using System;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

/// <summary>The broker URLs a move instruction names, read alike by every runtime.</summary>
public class BrokerUrlTests
{
    [Theory]
    [InlineData("mqtt://gw.example:1884", false, "gw.example", 1884)]
    [InlineData("mqtt://10.0.0.7", false, "10.0.0.7", 1883)]
    [InlineData("mqtts://gw-2.example", true, "gw-2.example", 8883)]
    [InlineData("mqtts://gw:443", true, "gw", 443)]
    public void Well_formed_urls_parse(string text, bool tls, string host, int port)
    {
        BrokerUrl url = BrokerUrl.Parse(text);
        Assert.Equal((tls, host, port), (url.Tls, url.Host, url.Port));
    }

    [Theory]
    [InlineData("", "characters")]
    [InlineData("http://gw:1883", "mqtt://")]
    [InlineData("mqtt://", "no host")]
    [InlineData("mqtt://:1883", "no host")]
    [InlineData("mqtt://gw:0", "port")]
    [InlineData("mqtt://gw:65536", "port")]
    [InlineData("mqtt://gw:1883/path", "port")]
    [InlineData("mqtt://user@gw", "host may hold")]
    [InlineData("mqtt://gw/x", "host may hold")]
    public void Malformed_urls_say_what_is_wrong(string text, string said)
    {
        Assert.Contains(said, BrokerUrl.FindProblem(text));
        Assert.Throws<FormatException>(() => BrokerUrl.Parse(text));
    }
}
