using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>A bare MQTT v5 client for a meter: publishes exactly the bytes a test gives and collects every ack and proof message it receives.</summary>
public sealed class RawMeterClient : IAsyncDisposable
{
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    private readonly TrustedSigners gateways;

    public RawMeterClient(string meterId, byte[] gatewayKey)
    {
        MeterId = meterId;
        gateways = new TrustedSigners([gatewayKey]);
        client.DisconnectedAsync += e =>
        {
            Disconnects.Enqueue($"{e.Reason} {e.ReasonString} {e.Exception?.Message}");
            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += e =>
        {
            // Only acks are collected; display data on the same subscription set is not this client's business.
            if (e.ApplicationMessage.Topic == AcksTopic(MeterId))
            {
                Acks.Enqueue(GatewayAckCodec.Open(e.ApplicationMessage.Payload.ToArray(), gateways));
            }
            else if (e.ApplicationMessage.Topic == ProofsTopic(MeterId))
            {
                Proofs.Enqueue(e.ApplicationMessage.Payload.ToArray());
            }
            return Task.CompletedTask;
        };
    }

    public string MeterId { get; }

    public ConcurrentQueue<GatewayAck> Acks { get; } = new();

    /// <summary>The proof messages received (docs/protocol.md §7.6), undecoded.</summary>
    public ConcurrentQueue<byte[]> Proofs { get; } = new();

    public bool IsConnected => client.IsConnected;

    /// <summary>Why the broker ended each connection (MQTT 5 reason, reason string, transport error).</summary>
    public ConcurrentQueue<string> Disconnects { get; } = new();

    /// <summary>The broker's answer to the last connect attempt (its reason string on MQTT 5), or null before one.</summary>
    public MqttClientConnectResult? LastConnect { get; private set; }

    public static string ReadingsTopic(string meterId) => $"cg/{TestGrid.ChainId}/meters/{meterId}/readings";

    public static string AcksTopic(string meterId) => $"cg/{TestGrid.ChainId}/meters/{meterId}/acks";

    public static string ProofsTopic(string meterId) => $"cg/{TestGrid.ChainId}/meters/{meterId}/proofs";

    /// <summary>Connects as <see cref="MeterId"/> (under <paramref name="clientId"/>, or a fresh one); returns the broker's answer (Success or the refusal).</summary>
    public async Task<MqttClientConnectResultCode> ConnectAsync(int port, string password, string? clientId = null)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? "raw-" + MeterId + "-" + Guid.NewGuid().ToString("N")[..6])
            .WithCredentials(MeterId, password)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        // MQTTnet reports a refusal in the result rather than by exception.
        LastConnect = await client.ConnectAsync(options, CancellationToken.None);
        return LastConnect.ResultCode;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        MqttClientSubscribeResult result = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishAsync(byte[] payload, string? topic = null)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic ?? ReadingsTopic(MeterId))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return (await client.PublishAsync(message)).ReasonCode;
    }

    /// <summary>Waits for an ack matching <paramref name="match"/>; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<GatewayAck> WaitAckAsync(Func<GatewayAck, bool> match, string what, double seconds = 10)
    {
        GatewayAck? found = null;
        await Waits.UntilAsync(() => (found = Acks.FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(seconds),
            $"{what} (acks so far: {string.Join("; ", Acks)})");
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptions());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Broker already gone.
        }
        client.Dispose();
    }
}
