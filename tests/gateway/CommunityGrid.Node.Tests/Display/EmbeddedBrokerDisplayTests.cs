using CommunityGrid.Peering.Transport;
using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Display;

/// <summary>Display data through the embedded broker of an in-process node: content, signature, retention, isolation.</summary>
public sealed class EmbeddedBrokerDisplayTests
{
    [Fact]
    public async Task After_an_interval_closes_a_meter_gets_a_gateway_signed_display_with_the_balance_the_API_states()
    {
        using var grid = new TestGrid(2);
        // A virtual clock closes the interval holding the readings now rather than in up to 16 minutes.
        var clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = clock, HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        var trusted = new TrustedSigners([grid.Gateway.PublicKey]);
        await using var m01 = new DisplaySubscriber("m01");
        await m01.ConnectAsync(port, grid.MeterSeeds["m01"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await m01.SubscribeAsync(DisplaySubscriber.Topic("m01")));
        ReceivedDisplay startup = await m01.WaitAsync(_ => true, "m01's display from start-up");
        Assert.Equal(0, DisplayInfoCodec.Open(startup.Bytes, trusted).BalanceMinor);

        Assert.True(node.Submit(grid.Reading("m01", 1, importWh: 2500)).Accepted);
        Assert.True(node.Submit(grid.Reading("m02", 1, importWh: 0, exportWh: 700)).Accepted);
        await Waits.UntilAsync(() => node.Read(s => s.GetReadings("m01").Count + s.GetReadings("m02").Count) == 2, TimeSpan.FromSeconds(10), "both readings in a block");
        long openInterval = node.Read(s => s.State.View().NextInterval);
        clock.Advance(TimeSpan.FromSeconds(2 * TestGrid.IntervalSeconds));
        await Waits.UntilAsync(() => node.Read(s => s.State.View().NextInterval) > openInterval, TimeSpan.FromSeconds(10), "the interval holding the readings to close");

        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(5) };
        using JsonDocument api = JsonDocument.Parse(await http.GetStringAsync("/houses/h-m01/balance"));
        long balance = api.RootElement.GetProperty("balance").GetInt64();
        long height = api.RootElement.GetProperty("height").GetInt64();
        // grid-only settlement: 2.5 kWh bought at the retail price of 300 minor units per kWh.
        Assert.Equal(-750, balance);
        ReceivedDisplay live = await m01.WaitAsync(d => DisplayInfoCodec.Open(d.Bytes, trusted).LastBlockHeight == height, $"m01's display at height {height}");
        DisplayInfo shown = DisplayInfoCodec.Open(live.Bytes, trusted);
        Assert.True(shown.IsFor(TestGrid.ChainId, "m01"));
        Assert.Equal(balance, shown.BalanceMinor);
        // Grid-only settlement has no internal price; the display then shows what a bought kWh cost: retail.
        Assert.Equal(grid.Genesis.RetailPrice, shown.PriceMinorPerKwh);
        Assert.Throws<UntrustedSignerException>(() => DisplayInfoCodec.Open(live.Bytes, new TrustedSigners([grid.Installer.PublicKey])));

        // A meter that (re)subscribes later gets the same message at once, from the broker's retained store.
        await using var later = new DisplaySubscriber("m01");
        await later.ConnectAsync(port, grid.MeterSeeds["m01"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await later.SubscribeAsync(DisplaySubscriber.Topic("m01")));
        ReceivedDisplay retained = await later.WaitAsync(_ => true, "the retained display");
        Assert.True(retained.Retained);
        Assert.Equal(live.Bytes, retained.Bytes);
        Assert.Equal(height, node.Height);
    }

    [Fact]
    public async Task A_meter_can_neither_read_nor_overwrite_another_meters_display()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        var trusted = new TrustedSigners([grid.Gateway.PublicKey]);
        await using var m01 = new DisplaySubscriber("m01");
        await m01.ConnectAsync(port, grid.MeterSeeds["m01"]);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await m01.SubscribeAsync(DisplaySubscriber.Topic("m02")));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await m01.SubscribeAsync($"cg/{TestGrid.ChainId}/meters/+/display"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await m01.SubscribeAsync("cg/#"));
        // A display m01 signed itself, meant to sit retained on m02's topic: refused, not stored, not routed.
        byte[] forged = DisplayInfoCodec.Sign(new DisplayInfo(TestGrid.ChainId, "m02", 1, 1_000_000, 99), grid.MeterSeeds["m01"]);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await m01.PublishRetainedAsync(DisplaySubscriber.Topic("m02"), forged));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await m01.SubscribeAsync(DisplaySubscriber.Topic("m01")));
        await m01.WaitAsync(_ => true, "m01's own display");

        await using var m02 = new DisplaySubscriber("m02");
        await m02.ConnectAsync(port, grid.MeterSeeds["m02"]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await m02.SubscribeAsync(DisplaySubscriber.Topic("m02")));
        ReceivedDisplay theirs = await m02.WaitAsync(_ => true, "m02's own display");
        Assert.True(theirs.Retained);
        Assert.True(DisplayInfoCodec.Open(theirs.Bytes, trusted).IsFor(TestGrid.ChainId, "m02"));
        Assert.All(m01.Received, d => Assert.Equal(DisplaySubscriber.Topic("m01"), d.Topic));
        Assert.All(m02.Received, d => Assert.Equal(DisplaySubscriber.Topic("m02"), d.Topic));
    }
}
