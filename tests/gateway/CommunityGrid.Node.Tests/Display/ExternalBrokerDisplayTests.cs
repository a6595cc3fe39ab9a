using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Display;

/// <summary>
/// A gateway process behind Mosquitto publishes display data as a client: retained, each meter confined to its own topic
/// by the ACL, a light-client meter too (the gateway cannot see subscriptions on an external broker).
/// </summary>
public sealed class ExternalBrokerDisplayTests
{
    [Fact]
    public async Task Through_Mosquitto_each_meter_gets_its_retained_display_at_the_tip_and_nothing_of_another_meter()
    {
        using var grid = new TestGrid(2);
        Dictionary<string, string> passwords = grid.Meters.Keys.ToDictionary(id => id, id => MqttCredentials.Password(TestGrid.ChainId, id, grid.MeterSeeds[id]));
        using Mosquitto broker = await Mosquitto.StartAsync(Path.Combine(grid.Directory, "mosquitto"), TestGrid.ChainId, passwords);
        string passwordFile = Path.Combine(grid.Directory, "broker-password");
        await File.WriteAllTextAsync(passwordFile, broker.GatewayPassword + "\n");
        int httpPort = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--http", $"127.0.0.1:{httpPort}",
            "--mqtt-broker", $"mqtt://127.0.0.1:{broker.Port}", "--mqtt-username", Mosquitto.GatewayUser, "--mqtt-password-file", passwordFile);
        await Waits.UntilAsync(() => gateway.LinesContaining("display published").Any(), TimeSpan.FromSeconds(20), "the gateway's start-up display data");
        var trusted = new TrustedSigners([grid.Gateway.PublicKey]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };

        await using var m01 = new DisplaySubscriber("m01");
        await m01.ConnectAsync(broker.Port, grid.MeterSeeds["m01"]);
        // Mosquitto's ACL does not let m01 read m02's topic; whatever it answers, nothing of m02's may arrive.
        await m01.SubscribeAsync(DisplaySubscriber.Topic("m02"));
        // m01 is a light client (it takes proofs): behind an external broker the gateway cannot know that, so it still
        // gets display data (docs/protocol.md §7.4).
        await m01.SubscribeAsync(RawMeterClient.ProofsTopic("m01"));
        await m01.SubscribeAsync(DisplaySubscriber.Topic("m01"));
        ReceivedDisplay first = await m01.WaitAsync(d => d.Topic == DisplaySubscriber.Topic("m01"), "m01's retained display");
        Assert.True(first.Retained);
        // The first round may close the intervals since genesis after start-up; wait for the figures at the settled tip.
        ReceivedDisplay atTip = await AtTipAsync(m01, http, trusted);
        DisplayInfo shown = DisplayInfoCodec.Open(atTip.Bytes, trusted);
        Assert.True(shown.IsFor(TestGrid.ChainId, "m01"));
        using JsonDocument balance = JsonDocument.Parse(await http.GetStringAsync("/houses/h-m01/balance"));
        Assert.Equal(balance.RootElement.GetProperty("balance").GetInt64(), shown.BalanceMinor);
        Assert.Equal(grid.Genesis.RetailPrice, shown.PriceMinorPerKwh);
        Assert.All(m01.Received, d => Assert.Contains(d.Topic, new[] { DisplaySubscriber.Topic("m01"), RawMeterClient.ProofsTopic("m01") }));
        Assert.Equal(0, await gateway.StopAsync());
    }

    private static async Task<ReceivedDisplay> AtTipAsync(DisplaySubscriber meter, HttpClient http, TrustedSigners trusted)
    {
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            long tip = await StatusHeight(http);
            ReceivedDisplay? found = meter.Received.FirstOrDefault(d => d.Topic == DisplaySubscriber.Topic(meter.MeterId) && DisplayInfoCodec.Open(d.Bytes, trusted).LastBlockHeight == tip);
            if (found is not null) return found;
            if (DateTime.UtcNow > until) Assert.Fail($"no display of {meter.MeterId} at the tip {tip} within 15 s ({meter.Received.Count} received)");
            await Task.Delay(50);
        }
    }

    private static async Task<long> StatusHeight(HttpClient http)
    {
        using JsonDocument status = JsonDocument.Parse(await http.GetStringAsync("/status"));
        return status.RootElement.GetProperty("height").GetInt64();
    }
}
