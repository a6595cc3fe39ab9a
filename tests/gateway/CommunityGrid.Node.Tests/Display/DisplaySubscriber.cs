using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Tests.Support;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Display;

/// <summary>One message as a meter's client received it: the bytes, and whether the broker sent it as a retained message.</summary>
public sealed record ReceivedDisplay(string Topic, bool Retained, byte[] Bytes);

/// <summary>
/// A meter's MQTT v5 connection that only listens to display topics and keeps every message untouched, so the tests
/// decode them with the meter's own portable code (<see cref="DisplayInfoCodec"/>).
/// </summary>
public sealed class DisplaySubscriber : IAsyncDisposable
{
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();

    public DisplaySubscriber(string meterId)
    {
        MeterId = meterId;
        client.ApplicationMessageReceivedAsync += e =>
        {
            Received.Enqueue(new ReceivedDisplay(e.ApplicationMessage.Topic, e.ApplicationMessage.Retain, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
    }

    public string MeterId { get; }

    public ConcurrentQueue<ReceivedDisplay> Received { get; } = new();

    public static string Topic(string meterId) => MqttTopics.Display(TestGrid.ChainId, meterId);

    /// <summary>Logs in as <see cref="MeterId"/> with its key-derived password (the meter's own derivation).</summary>
    public async Task ConnectAsync(int port, byte[] meterSeed)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("display-" + MeterId + "-" + Guid.NewGuid().ToString("N")[..6])
            .WithCredentials(MeterId, MqttCredentials.Password(TestGrid.ChainId, MeterId, meterSeed))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        MqttClientConnectResult result = await client.ConnectAsync(options, timeout.Token);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        MqttClientSubscribeResult result = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientUnsubscribeResultCode> UnsubscribeAsync(string filter)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        MqttClientUnsubscribeResult result = await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(filter).Build(), timeout.Token);
        return result.Items.Single().ResultCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishRetainedAsync(string topic, byte[] payload)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        return (await client.PublishAsync(message, timeout.Token)).ReasonCode;
    }

    /// <summary>The first message matching <paramref name="match"/>; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<ReceivedDisplay> WaitAsync(Func<ReceivedDisplay, bool> match, string what, double seconds = 15)
    {
        ReceivedDisplay? found = null;
        await Waits.UntilAsync(() => (found = Received.FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(seconds),
            $"{what} ({Received.Count} display messages so far)");
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
