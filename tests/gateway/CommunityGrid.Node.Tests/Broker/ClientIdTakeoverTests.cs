using CommunityGrid.Peering.Transport;
using System;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;

namespace CommunityGrid.Node.Tests.Broker;

/// <summary>
/// Issue 11, case 2: an enrolled meter logging in with its own credentials but another meter's client id took over
/// that meter's session and disconnected it, every time. A real gateway process, its embedded broker, MQTTnet clients.
/// </summary>
public sealed class ClientIdTakeoverTests
{
    [Fact]
    public async Task A_meter_cannot_log_in_under_another_meters_client_id_and_the_other_meter_stays_connected()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");
        string m01Password = MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"]);
        string m02Password = MqttCredentials.Password(TestGrid.ChainId, "m02", grid.MeterSeeds["m02"]);

        await using var victim = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await victim.ConnectAsync(port, m01Password, "cgrid-meter-m01"));
        await victim.SubscribeAsync(RawMeterClient.AcksTopic("m01"));
        await using var freeForm = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await freeForm.ConnectAsync(port, m01Password, "m01-maintenance"));

        // The protocol's id of m01, m01's bare id (what the ESP32 app uses) and an id m01's session holds: all m01's.
        foreach (string stolen in new[] { "cgrid-meter-m01", "m01", "m01-maintenance" })
        {
            for (int attempt = 0; attempt < 5; attempt++)
            {
                await using var attacker = new RawMeterClient("m02", grid.Gateway.PublicKey);
                Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await attacker.ConnectAsync(port, m02Password, stolen));
                Assert.Contains("belongs to meter 'm01'", attacker.LastConnect!.ReasonString, StringComparison.Ordinal);
            }
        }
        await Task.Delay(300);
        Assert.True(victim.IsConnected, "m01 was disconnected by m02's logins:\n" + gateway.Log);
        Assert.True(freeForm.IsConnected, "m01's second session was taken over:\n" + gateway.Log);
        await Waits.UntilAsync(() => gateway.Lines.Any(l => l.Contains("mqtt login refused meter=m02 client=cgrid-meter-m01", StringComparison.Ordinal) && l.Contains("ClientIdentifierNotValid", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5), "the gateway's log line for the refused login");

        // m01 still delivers on its connection, and m02 logs in fine under its own id.
        Assert.Equal(MqttClientPublishReasonCode.Success, await victim.PublishAsync(grid.Reading("m01", 1, 10)));
        Assert.Equal(AckStatus.Committed, (await victim.WaitAckAsync(a => a.Sequence == 1, "m01's ack")).Status);
        await using var honest = new RawMeterClient("m02", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await honest.ConnectAsync(port, m02Password, "cgrid-meter-m02"));

        // m01 reconnecting under its own id replaces its own session, as MQTT intends.
        await using var victimAgain = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await victimAgain.ConnectAsync(port, m01Password, "cgrid-meter-m01"));
    }

    [Fact]
    public async Task Through_Mosquitto_configured_as_documented_another_meters_client_id_does_not_disconnect_it()
    {
        using var grid = new TestGrid(2);
        var passwords = grid.MeterSeeds.ToDictionary(m => m.Key, m => MqttCredentials.Password(TestGrid.ChainId, m.Key, m.Value));
        using Mosquitto broker = await Mosquitto.StartAsync(System.IO.Path.Combine(grid.Directory, "mosquitto"), TestGrid.ChainId, passwords);

        await using var victim = new RawMeterClient("m01", grid.Gateway.PublicKey);
        Assert.Equal(MqttClientConnectResultCode.Success, await victim.ConnectAsync(broker.Port, passwords["m01"], "cgrid-meter-m01"));
        for (int attempt = 0; attempt < 5; attempt++)
        {
            // use_username_as_clientid: Mosquitto replaces the id with the login, so m02 gets m02's session, not m01's.
            await using var attacker = new RawMeterClient("m02", grid.Gateway.PublicKey);
            Assert.Equal(MqttClientConnectResultCode.Success, await attacker.ConnectAsync(broker.Port, passwords["m02"], "cgrid-meter-m01"));
        }
        await Task.Delay(300);
        Assert.True(victim.IsConnected, "m01 was disconnected through Mosquitto: " + string.Join("; ", victim.Disconnects) + "\n" + broker.Output);
    }
}
