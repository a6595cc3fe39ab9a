using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using CommunityGrid.Formats.Readings;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// A gateway that lies, on a real Mosquitto between a real meter and an honest chain: it collects what the meter
/// publishes, and publishes on the meter's proofs and acks topics whatever the test hands it (genuine messages
/// rewritten, or made up).
/// </summary>
public sealed class LyingRelay : IAsyncDisposable
{
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    private readonly string chainId;
    private readonly string meterId;

    private LyingRelay(string chainId, string meterId)
    {
        this.chainId = chainId;
        this.meterId = meterId;
    }

    /// <summary>The meter's readings by sequence, as published (the latest copy of each).</summary>
    public ConcurrentDictionary<long, byte[]> Readings { get; } = new();

    public static async Task<LyingRelay> ConnectAsync(Mosquitto broker, string chainId, string meterId)
    {
        var relay = new LyingRelay(chainId, meterId);
        relay.client.ApplicationMessageReceivedAsync += e =>
        {
            byte[] bytes = e.ApplicationMessage.Payload.ToArray();
            relay.Readings[SignedReadingCodec.Open(bytes).Reading.Sequence] = bytes;
            return Task.CompletedTask;
        };
        await relay.client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithCredentials(Mosquitto.GatewayUser, broker.GatewayPassword).WithClientId(Mosquitto.GatewayUser).WithCleanSession(true).Build());
        await relay.client.SubscribeAsync($"cg/{chainId}/meters/{meterId}/readings", MqttQualityOfServiceLevel.AtLeastOnce);
        return relay;
    }

    public Task PublishProofAsync(byte[] message) => PublishAsync("proofs", message, retain: true);

    public Task PublishAckAsync(byte[] signedAck) => PublishAsync("acks", signedAck, retain: false);

    private async Task PublishAsync(string level, byte[] payload, bool retain)
    {
        MqttClientPublishResult result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cg/{chainId}/meters/{meterId}/{level}")
            .WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());
        if (!result.IsSuccess) throw new InvalidOperationException($"the broker refused the {level} message: {result.ReasonCode}");
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected) await client.DisconnectAsync();
        client.Dispose();
    }
}
