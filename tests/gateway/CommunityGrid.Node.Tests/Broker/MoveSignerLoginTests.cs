using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Peering.Transport;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Broker;

/// <summary>
/// The embedded broker takes move instructions (docs/protocol.md §7.5) only from a move signer, an installer or
/// validator key of the chain, and only as retained messages on an enrolled meter's move topic; the meter subscribes to
/// its own move topic and gets the retained instruction. A real gateway process, MQTTnet clients.
/// </summary>
public sealed class MoveSignerLoginTests
{
    [Fact]
    public async Task Only_an_installer_or_gateway_key_leaves_retained_instructions_and_only_on_enrolled_meters_move_topics()
    {
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        using GatewayProcess gateway = await GatewayProcess.StartAsync(grid, "--mqtt", $"127.0.0.1:{port}");
        string moveTopic = $"cg/{TestGrid.ChainId}/meters/m01/move";

        using (Ed25519Signer stranger = Ed25519Signer.Generate())
        {
            using IMqttClient refused = await SignerAsync(port, stranger, expect: MqttClientConnectResultCode.BadUserNameOrPassword);
        }
        using IMqttClient wrongPassword = await SignerAsync(port, grid.Installer, expect: MqttClientConnectResultCode.BadUserNameOrPassword, password: new string('0', 128));

        using IMqttClient installer = await SignerAsync(port, grid.Installer, expect: MqttClientConnectResultCode.Success);
        byte[] instruction = [0xd2, 0x84]; // the broker does not read it: the meter checks the signature
        // Taken and kept for the meter, which is not subscribed yet.
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, (await installer.PublishAsync(Message(moveTopic, instruction, retain: true))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await installer.PublishAsync(Message(moveTopic, instruction, retain: false))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await installer.PublishAsync(Message($"cg/{TestGrid.ChainId}/meters/ghost/move", instruction, retain: true))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await installer.PublishAsync(Message($"cg/{TestGrid.ChainId}/meters/m01/readings", instruction, retain: true))).ReasonCode);
        var subscribed = await installer.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(moveTopic).Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribed.Items).ResultCode);

        using IMqttClient gatewayKey = await SignerAsync(port, grid.Gateway, expect: MqttClientConnectResultCode.Success);

        // The meter, logged in as itself, subscribes to its own move topic and gets the retained instruction.
        using IMqttClient meter = new MqttClientFactory().CreateMqttClient();
        var received = new ConcurrentQueue<(string Topic, byte[] Payload)>();
        meter.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await meter.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("cgrid-meter-m01")
            .WithCredentials("m01", MqttCredentials.Password(TestGrid.ChainId, "m01", grid.MeterSeeds["m01"])).Build());
        var meterSubscription = await meter.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(moveTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(meterSubscription.Items).ResultCode);
        await Waits.UntilAsync(() => !received.IsEmpty, TimeSpan.FromSeconds(10), "the retained move instruction at the meter");
        Assert.True(received.TryDequeue(out var got));
        Assert.Equal(moveTopic, got.Topic);
        Assert.Equal(instruction, got.Payload);
        Assert.Contains(gateway.Lines, l => l.Contains("is not an installer or gateway key of chain 'node-test'", StringComparison.Ordinal));
    }

    private static async Task<IMqttClient> SignerAsync(int port, Ed25519Signer key, MqttClientConnectResultCode expect, string? password = null)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        string username = MoveSignerLogin.Username(key.PublicKey);
        // MQTTnet reports a refusal in the result rather than by exception.
        MqttClientConnectResult result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(MoveSignerLogin.ClientIdPrefix + Convert.ToHexStringLower(key.PublicKey))
            .WithCredentials(username, password ?? MqttPassword.For(TestGrid.ChainId, username, key)).Build());
        Assert.Equal(expect, result.ResultCode);
        return client;
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain) => new MqttApplicationMessageBuilder()
        .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
}
