using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Node.Display;
using CommunityGrid.Node.Proofs;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The gateway as a client of an external broker (e.g. Mosquitto): subscribes to every meter's readings topic of
/// its chain and publishes acks and (retained) display data. Authentication and topic ACLs are then the broker's job
/// (docs/operations.md). Reconnects with exponential backoff for as long as the node runs; readings missed meanwhile
/// are resent by the meters, which keep everything unacknowledged.
/// </summary>
public sealed class ExternalBrokerLink : IMeterLink
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(15);

    private readonly IMqttClient client;
    private readonly MqttClientOptions options;
    private readonly MeterTopics topics;
    private readonly ReadingIntake intake;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim disconnected = new(0);
    private Task? connecting;

    public ExternalBrokerLink(BrokerAddress broker, string? username, string? password, MeterTopics topics, ReadingIntake intake, ILogger logger)
    {
        this.topics = topics;
        this.intake = intake;
        this.logger = logger;
        Broker = broker;
        var factory = new MqttClientFactory();
        client = factory.CreateMqttClient();
        MqttClientOptionsBuilder builder = factory.CreateClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // A fixed client id makes the broker drop a dead predecessor's connection (e.g. after kill -9) at once.
            .WithClientId($"communitygrid-gateway-{topics.ChainId}")
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (username is not null) builder = builder.WithCredentials(username, password);
        options = builder.Build();
        client.ApplicationMessageReceivedAsync += TakeMessage;
        client.DisconnectedAsync += _ =>
        {
            disconnected.Release();
            return Task.CompletedTask;
        };
    }

    public BrokerAddress Broker { get; }

    public string Description => $"external MQTT broker at {Broker}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        connecting ??= Task.Run(StayConnectedAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task PublishAckAsync(string meterId, byte[] signedAck, CancellationToken cancellationToken)
    {
        if (!client.IsConnected) throw new InvalidOperationException($"not connected to the broker at {Broker}");
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topics.Acks(meterId))
            .WithPayload(signedAck)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        MqttClientPublishResult result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw new InvalidOperationException($"broker refused the ack: {result.ReasonCode} {result.ReasonString}");
    }

    /// <summary>Always true: what a meter subscribed to on another broker is not known here (docs/protocol.md §7.7).</summary>
    public ValueTask<bool> MeterTakesReleaseAcksAsync(string meterId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>Always true: what a meter subscribed to on another broker is not known here (docs/protocol.md §7.4).</summary>
    public ValueTask<bool> MeterTakesDisplayDataAsync(string meterId, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>Never raised: the answer above is always true.</summary>
    public event Action<string>? DisplayNeedMayHaveChanged
    {
        add { }
        remove { }
    }

    public async Task PublishDisplayAsync(string meterId, byte[] signedDisplay, CancellationToken cancellationToken)
    {
        if (!client.IsConnected) throw new InvalidOperationException($"not connected to the broker at {Broker}");
        MqttClientPublishResult result = await client.PublishAsync(DisplayMessage.Retained(topics.Display(meterId), signedDisplay), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw new InvalidOperationException($"broker refused the display data: {result.ReasonCode} {result.ReasonString}");
    }

    public async Task PublishProofAsync(string meterId, byte[] proofMessage, CancellationToken cancellationToken)
    {
        if (!client.IsConnected) throw new InvalidOperationException($"not connected to the broker at {Broker}");
        MqttClientPublishResult result = await client.PublishAsync(ProofSender.Retained(topics.Proofs(meterId), proofMessage), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess) throw new InvalidOperationException($"broker refused the proof message: {result.ReasonCode} {result.ReasonString}");
    }

    private async Task StayConnectedAsync()
    {
        TimeSpan backoff = FirstBackoff;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                MqttClientConnectResult connected = await client.ConnectAsync(options, stop.Token).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the login: {connected.ResultCode}; check --mqtt-username and the password file");
                }
                MqttClientSubscribeOptions subscription = new MqttClientFactory().CreateSubscribeOptionsBuilder()
                    .WithTopicFilter(topics.AllReadings, MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                MqttClientSubscribeResult subscribed = await client.SubscribeAsync(subscription, stop.Token).ConfigureAwait(false);
                foreach (MqttClientSubscribeResultItem item in subscribed.Items)
                {
                    if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                    {
                        throw new InvalidOperationException($"the broker refused the subscription to {item.TopicFilter.Topic}: {item.ResultCode}; check its ACL for the gateway user");
                    }
                }
                logger.LogInformation("mqtt connected to {Broker}, subscribed to {Filter}", Broker, topics.AllReadings);
                backoff = FirstBackoff;
                // The event wakes this at once; the timeout covers a disconnect that raced the subscription.
                while (client.IsConnected) await disconnected.WaitAsync(TimeSpan.FromSeconds(1), stop.Token).ConfigureAwait(false);
                logger.LogWarning("mqtt connection to {Broker} lost; reconnecting", Broker);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning("mqtt connection to {Broker} failed: {Error}; retrying in {Backoff} ms", Broker, e.Message, (long)backoff.TotalMilliseconds);
                if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(backoff, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    private Task TakeMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        string? meterId = topics.MeterOf(topic, MeterTopics.ReadingsLevel);
        if (meterId is null)
        {
            logger.LogWarning("mqtt message on unexpected topic {Topic} ignored", topic);
            return Task.CompletedTask;
        }
        intake.Offer(meterId, e.ApplicationMessage.Payload.ToArray());
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (connecting is not null) await connecting.ConfigureAwait(false);
        try
        {
            if (client.IsConnected) await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("mqtt disconnect: {Error}", e.Message);
        }
        client.Dispose();
        stop.Dispose();
    }
}

/// <summary>An external broker's address from <c>mqtt://host:port</c> (port 1883 when omitted).</summary>
public sealed record BrokerAddress(string Host, int Port)
{
    public static BrokerAddress Parse(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) || parsed.Scheme != "mqtt" || parsed.Host.Length == 0)
        {
            throw new FormatException($"'{uri}' is not a broker address of the form mqtt://host:port");
        }
        if (parsed.AbsolutePath is not ("" or "/") || parsed.Query.Length > 0 || parsed.UserInfo.Length > 0)
        {
            throw new FormatException($"'{uri}': give only mqtt://host:port (credentials go in --mqtt-username / --mqtt-password-file)");
        }
        return new BrokerAddress(parsed.Host, parsed.IsDefaultPort || parsed.Port < 0 ? 1883 : parsed.Port);
    }

    public override string ToString() => $"mqtt://{Host}:{Port}";
}
