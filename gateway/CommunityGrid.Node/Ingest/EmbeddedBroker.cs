using System;
using System.Buffers;
using System.Collections;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Node.Display;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The MQTT broker inside the gateway (MQTTnet.Server). Authentication: the username is an enrolled meter id and
/// the password verifies under that meter's enrolled key (<see cref="MqttPassword"/>). Authorization: a meter
/// publishes only to its own readings topic and subscribes only to its own acks and display topics. Readings are
/// consumed here and never routed on; the gateway's own acks and display data are injected server-side, without a
/// socket.
/// </summary>
public sealed class EmbeddedBroker : IMeterLink
{
    private const string GatewaySenderId = "communitygrid-gateway";

    private readonly MqttServer server;
    private readonly MeterTopics topics;
    private readonly Func<string, byte[]?> enrolledKey;
    private readonly ReadingIntake intake;
    private readonly ILogger logger;
    // Injected messages carry this dictionary; no client session can present the same instance, so no client can pass as the gateway.
    private readonly Hashtable gatewaySession = new();

    /// <param name="enrolledKey">The public key a meter id is enrolled with at the chain's tip, or null.</param>
    public EmbeddedBroker(IPEndPoint endpoint, MeterTopics topics, Func<string, byte[]?> enrolledKey, ReadingIntake intake, ILogger logger)
    {
        this.topics = topics;
        this.enrolledKey = enrolledKey;
        this.intake = intake;
        this.logger = logger;
        Endpoint = endpoint;
        MqttServerOptions options = new MqttServerFactory().CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(endpoint.Address)
            .WithDefaultEndpointPort(endpoint.Port)
            // A restarted gateway (after a crash) must get its port back while old connections linger in TIME_WAIT.
            .WithDefaultEndpointReuseAddress()
            .WithPersistentSessions()
            .Build();
        server = new MqttServerFactory().CreateMqttServer(options);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingSubscriptionAsync += AuthorizeSubscription;
        server.InterceptingPublishAsync += TakePublish;
    }

    public IPEndPoint Endpoint { get; }

    public string Description => $"embedded MQTT broker on {Endpoint}";

    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync();

    public Task PublishAckAsync(string meterId, byte[] signedAck, CancellationToken cancellationToken)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topics.Acks(meterId))
            .WithPayload(signedAck)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(message) { SenderClientId = GatewaySenderId, CustomSessionItems = gatewaySession },
            cancellationToken);
    }

    public Task PublishDisplayAsync(string meterId, byte[] signedDisplay, CancellationToken cancellationToken) =>
        server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(DisplayMessage.Retained(topics.Display(meterId), signedDisplay)) { SenderClientId = GatewaySenderId, CustomSessionItems = gatewaySession },
            cancellationToken);

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        string meterId = e.UserName ?? "";
        byte[]? key = meterId.Length == 0 ? null : enrolledKey(meterId);
        if (key is null || !MqttPassword.Check(topics.ChainId, meterId, key, e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            logger.LogWarning("mqtt login refused meter={MeterId} client={ClientId} from={Remote} reason={Reason}",
                meterId, e.ClientId, e.RemoteEndPoint, key is null ? "not an enrolled meter" : "password does not verify under the enrolled key");
            return Task.CompletedTask;
        }
        logger.LogInformation("mqtt login meter={MeterId} client={ClientId} from={Remote}", meterId, e.ClientId, e.RemoteEndPoint);
        return Task.CompletedTask;
    }

    private Task AuthorizeSubscription(InterceptingSubscriptionEventArgs e)
    {
        string filter = e.TopicFilter.Topic;
        if (filter != topics.Acks(e.UserName) && filter != topics.Display(e.UserName))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ProcessSubscription = false;
            logger.LogWarning("mqtt subscription refused meter={MeterId} filter={Filter}", e.UserName, filter);
        }
        return Task.CompletedTask;
    }

    private Task TakePublish(InterceptingPublishEventArgs e)
    {
        if (ReferenceEquals(e.SessionItems, gatewaySession)) return Task.CompletedTask;
        // Nothing a meter publishes is routed to other clients: readings are for the gateway alone.
        e.ProcessPublish = false;
        string topic = e.ApplicationMessage.Topic;
        string? meterId = topics.MeterOf(topic, MeterTopics.ReadingsLevel);
        if (meterId is null || meterId != e.UserName)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            logger.LogWarning("mqtt publish refused meter={MeterId} topic={Topic}: a meter publishes only to its own readings topic", e.UserName, topic);
            return Task.CompletedTask;
        }
        IntakeResult result = intake.Offer(meterId, e.ApplicationMessage.Payload.ToArray());
        if (result == IntakeResult.PoolFull) e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await server.StopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("mqtt broker stop: {Error}", e.Message);
        }
        server.Dispose();
    }
}
