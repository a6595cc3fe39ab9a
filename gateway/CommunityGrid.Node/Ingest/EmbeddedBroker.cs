using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The MQTT broker inside the gateway (MQTTnet.Server). Authentication: the username is an enrolled meter id and
/// the password verifies under that meter's enrolled key (<see cref="MqttPassword"/>). Authorization: a meter
/// publishes only to its own readings topic and subscribes only to its own acks, display and move topics, and it may not
/// use a client id that belongs to another meter (<see cref="ClientIdOwnership"/>). A move signer (an installer or
/// gateway key of the chain, <see cref="MoveSignerLogin"/>) may only publish retained move instructions to enrolled
/// meters' move topics (docs/protocol.md §7.5), which the broker keeps for the meter. Readings are consumed here and
/// never routed on; the gateway's own acks, display data and proofs are enqueued server-side, without a socket, straight
/// into the sessions of the meter they are for (<see cref="MeterSubscriptions"/>), and the latest display and proof
/// message of each meter is kept for a later subscriber by <see cref="MeterRetainedMessages"/>, outside MQTTnet's retained store.
/// Sockets come through <see cref="GuardedTcpServerAdapter"/>, which bounds packet size, connect time and the number
/// of connections (<see cref="BrokerLimits"/>).
/// </summary>
public sealed class EmbeddedBroker : IMeterLink
{
    private readonly MqttServer server;
    private readonly MeterTopics topics;
    private readonly Func<string, byte[]?> enrolledKey;
    private readonly Func<byte[], bool> isMoveSigner;
    private readonly ReadingIntake intake;
    private readonly ILogger logger;
    private readonly BrokerLimits limits;
    private readonly GuardedTcpServerAdapter listener;
    private readonly ClientIdOwnership clientIds;
    private readonly MeterRetainedMessages retainedMessages = new();
    private long displayQuestions;

    /// <param name="enrolledKey">The public key a meter id is enrolled with at the chain's tip, or null.</param>
    /// <param name="isMoveSigner">Whether a key may log in to publish move instructions (an installer or validator key at the tip); null: nobody.</param>
    public EmbeddedBroker(IPEndPoint endpoint, MeterTopics topics, Func<string, byte[]?> enrolledKey, ReadingIntake intake, ILogger logger, BrokerLimits? limits = null,
        Func<byte[], bool>? isMoveSigner = null)
    {
        this.topics = topics;
        this.enrolledKey = enrolledKey;
        this.isMoveSigner = isMoveSigner ?? (_ => false);
        this.intake = intake;
        this.logger = logger;
        this.limits = limits ?? BrokerLimits.Default;
        Endpoint = endpoint;
        clientIds = new ClientIdOwnership(id => CommunityGrid.Chain.Encoding.Identifiers.IsEntityId(id) && enrolledKey(id) is not null);
        listener = new GuardedTcpServerAdapter(endpoint, this.limits, logger);
        MqttServerOptions options = new MqttServerFactory().CreateServerOptionsBuilder()
            // MQTTnet's own listener stays off: GuardedTcpServerAdapter listens on the endpoint instead.
            .WithoutDefaultEndpoint()
            .WithDefaultCommunicationTimeout(this.limits.ConnectTimeout)
            .WithPersistentSessions()
            // A bound on what waits in each session, away or slow. Dropping the new message, not MQTTnet's default of dropping the
            // oldest queued one: MQTTnet 5.2 keeps a dropped QoS 1 message in the session's unacknowledged list (dotnet/MQTTnet
            // pull request 2269, open), so under that strategy an away session still grows with every message and hands the
            // dropped ones out again at a later reconnect.
            .WithMaxPendingMessagesPerClient(this.limits.MaxQueuedMessagesPerSession)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropNewMessage)
            .Build();
        server = new MqttServerFactory().CreateMqttServer(options, [listener]);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.SessionDeletedAsync += e =>
        {
            clientIds.Release(e.Id);
            if (e.UserName is { } meterId) DisplayNeedMayHaveChanged?.Invoke(meterId);
            return Task.CompletedTask;
        };
        // A new session holds no subscription yet, so it may be a meter that shows display data. Reported once the server
        // lists the session: an answer asked for before this event may not have seen it, and the listener drops it.
        server.ClientConnectedAsync += e =>
        {
            if (e.UserName is { } meterId) DisplayNeedMayHaveChanged?.Invoke(meterId);
            return Task.CompletedTask;
        };
        server.InterceptingSubscriptionAsync += AuthorizeSubscription;
        server.InterceptingUnsubscriptionAsync += ForgetSubscription;
        server.InterceptingPublishAsync += TakePublish;
    }

    public IPEndPoint Endpoint { get; }

    public string Description => $"embedded MQTT broker on {Endpoint}";

    /// <summary>Meter sessions logged in on the broker now.</summary>
    /// <remarks>
    /// Only meters log in (ValidateConnection refuses anyone else), besides a move signer for the moment it takes to leave
    /// its instructions (docs/protocol.md §7.5), so connected clients are meter sessions. Asked of the
    /// server rather than counted from connect/disconnect events, which a session takeover would unbalance; the server
    /// answers from its in-memory client list, so the wait does not block on I/O.
    /// </remarks>
    public int ConnectedMeters => server.GetClientsAsync().GetAwaiter().GetResult().Count;

    /// <summary>What MQTTnet's own retained store holds (tests: move instructions only, not the gateway's display and proof messages).</summary>
    internal Task<IList<MqttApplicationMessage>> MqttnetRetainedMessagesAsync() => server.GetRetainedMessagesAsync();

    /// <summary>How often <see cref="MeterTakesDisplayDataAsync"/> was asked (tests: once per light client until its sessions change).</summary>
    internal long DisplayQuestions => Interlocked.Read(ref displayQuestions);

    /// <summary>Sockets open on the broker's port, logged in or not (tests watch idle ones close).</summary>
    internal int OpenConnections => listener.OpenConnections;

    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync();

    public Task PublishAckAsync(string meterId, byte[] signedAck, CancellationToken cancellationToken) =>
        DeliverAsync(meterId, MeterTopics.AcksLevel, topics.Acks(meterId), signedAck, retained: false);

    /// <summary>
    /// True when a session of the meter, connected or persistent, holds the acks subscription without the proofs one:
    /// that session releases on acks (docs/protocol.md §7.3). A session that takes proofs is a light client (§7.7), and
    /// one without the acks subscription would not get the ack (acks are not retained, so a later subscriber misses it
    /// either way). A light client that subscribes to acks before proofs is asked about in between and gets the ack:
    /// in doubt, send. A meter whose sessions all take proofs gets no status 0/1 ack, and no signature is made for it.
    /// </summary>
    public async ValueTask<bool> MeterTakesReleaseAcksAsync(string meterId, CancellationToken cancellationToken)
    {
        if (!server.IsStarted) return true;
        await foreach (MqttSessionStatus session in SessionsOfAsync(meterId).ConfigureAwait(false))
        {
            if (MeterSubscriptions.Of(session.Items, MeterTopics.AcksLevel) is not null && MeterSubscriptions.Of(session.Items, MeterTopics.ProofsLevel) is null) return true;
        }
        return false;
    }

    /// <summary>
    /// False when the meter has sessions, connected or persistent, and every one of them holds the proofs subscription:
    /// a light client has its price and balance proved (docs/protocol.md §7.4, §7.6), so no display data is signed for
    /// it. True when any session lacks the proofs subscription (it may be a meter that shows display data, or a light
    /// client still subscribing: in doubt, send), and when the meter has no session at all: the message is retained,
    /// and who subscribes to it later is not known.
    /// </summary>
    public async ValueTask<bool> MeterTakesDisplayDataAsync(string meterId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref displayQuestions);
        if (!server.IsStarted) return true;
        bool anySession = false;
        await foreach (MqttSessionStatus session in SessionsOfAsync(meterId).ConfigureAwait(false))
        {
            anySession = true;
            if (MeterSubscriptions.Of(session.Items, MeterTopics.ProofsLevel) is null) return true;
        }
        return !anySession;
    }

    /// <inheritdoc/>
    public event Action<string>? DisplayNeedMayHaveChanged;

    public Task PublishDisplayAsync(string meterId, byte[] signedDisplay, CancellationToken cancellationToken) =>
        DeliverAsync(meterId, MeterTopics.DisplayLevel, topics.Display(meterId), signedDisplay, retained: true);

    public Task PublishProofAsync(string meterId, byte[] proofMessage, CancellationToken cancellationToken) =>
        DeliverAsync(meterId, MeterTopics.ProofsLevel, topics.Proofs(meterId), proofMessage, retained: true);

    /// <summary>
    /// Enqueues a gateway message (QoS 1) into the sessions of <paramref name="meterId"/> that subscribed to its
    /// <paramref name="level"/> topic (<see cref="MeterSubscriptions"/>), connected or persistent, as MQTTnet's routing
    /// would: QoS the lower of 1 and the one granted, the retain flag only with retain-as-published (MQTT 5 §3.3.1.3).
    /// A retained message also replaces the topic's message in <see cref="MeterRetainedMessages"/>, for later subscribers.
    /// </summary>
    private async Task DeliverAsync(string meterId, string level, string topic, byte[] payload, bool retained)
    {
        if (!server.IsStarted) throw new InvalidOperationException("the embedded MQTT broker is not running");
        // The retained copy first, then the live ones: a session that subscribes in between gets the new message as its
        // retained copy (and perhaps live as well); one that subscribed before is among the sessions listed after.
        if (retained) retainedMessages.Replace(topic, payload);
        await foreach (MqttSessionStatus session in SessionsOfAsync(meterId).ConfigureAwait(false)) EnqueueLive(session, level, topic, payload, retained);
    }

    private void EnqueueLive(MqttSessionStatus session, string level, string topic, byte[] payload, bool retained)
    {
        if (MeterSubscriptions.Of(session.Items, level) is not { } granted) return;
        MqttQualityOfServiceLevel qos = granted.QualityOfService < MqttQualityOfServiceLevel.AtLeastOnce ? granted.QualityOfService : MqttQualityOfServiceLevel.AtLeastOnce;
        if (!session.TryEnqueueApplicationMessage(Message(topic, payload, qos, retained && granted.RetainAsPublished), out _))
        {
            logger.LogDebug("mqtt message dropped, the session's queue is full client={ClientId} topic={Topic}", session.Id, topic);
        }
    }

    /// <summary>The sessions, connected or persistent, of the client ids that belong to <paramref name="meterId"/>.</summary>
    private async IAsyncEnumerable<MqttSessionStatus> SessionsOfAsync(string meterId)
    {
        foreach (string clientId in clientIds.ClientIdsOf(meterId))
        {
            MqttSessionStatus? session = null;
            try
            {
                session = await server.GetSessionAsync(clientId).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Claimed at login but without a session (the connection failed before it was made, or it was just
                // deleted): it holds no subscription, so there is nothing to deliver to it or to ask of it.
            }
            if (session is not null) yield return session;
        }
    }

    private static MqttApplicationMessage Message(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithQualityOfServiceLevel(qos)
        .WithRetainFlag(retain)
        .Build();

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        string meterId = e.UserName ?? "";
        string clientId = e.ClientId ?? "";
        if (MoveSignerLogin.KeyOf(meterId) is { } signerKey)
        {
            ValidateMoveSigner(e, meterId, signerKey, clientId);
            return Task.CompletedTask;
        }
        byte[]? key = meterId.Length == 0 ? null : enrolledKey(meterId);
        if (key is null || !MqttPassword.Check(topics.ChainId, meterId, key, e.Password))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, key is null
                ? $"'{meterId}' is not a meter enrolled on chain '{topics.ChainId}'; enrol it (cgrid meter enrol) or check the meter id in its configuration"
                : "the password does not verify under the meter's enrolled key; the meter must derive it from the key it was enrolled with");
            return Task.CompletedTask;
        }
        if (clientId.Length == 0)
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"a meter connects with a client id; use {ClientIdOwnership.MeterClientIdPrefix}{meterId}");
            return Task.CompletedTask;
        }
        switch (clientIds.TryClaim(clientId, meterId, limits.MaxSessionsPerMeter, out string? owner))
        {
            case ClientIdClaim.OwnedByAnother:
                // Taking over another meter's client id would disconnect that meter (issue 11, case 2).
                Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid,
                    $"client id '{clientId}' belongs to meter '{owner}'; meter '{meterId}' must use {ClientIdOwnership.MeterClientIdPrefix}{meterId}");
                return Task.CompletedTask;
            case ClientIdClaim.TooManySessions:
                Refuse(e, MqttConnectReasonCode.QuotaExceeded,
                    $"meter '{meterId}' already holds {limits.MaxSessionsPerMeter} sessions under other client ids; reconnect under the same client id ({ClientIdOwnership.MeterClientIdPrefix}{meterId}) or close the others");
                return Task.CompletedTask;
        }
        logger.LogInformation("mqtt login meter={MeterId} client={ClientId} from={Remote}", meterId, clientId, e.RemoteEndPoint);
        return Task.CompletedTask;
    }

    private void ValidateMoveSigner(ValidatingConnectionEventArgs e, string username, byte[] key, string clientId)
    {
        if (!isMoveSigner(key) || !MqttPassword.Check(topics.ChainId, username, key, e.Password))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, !isMoveSigner(key)
                ? $"key {Convert.ToHexStringLower(key)} is not an installer or gateway key of chain '{topics.ChainId}'; sign move instructions with one (cgrid meter move --key)"
                : "the password does not verify under the signer's key; derive it from the same key (cgrid meter move does)");
            return;
        }
        if (clientId != MoveSignerLogin.ClientIdPrefix + Convert.ToHexStringLower(key))
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"a move signer connects with client id {MoveSignerLogin.ClientIdPrefix}{{its key in hex}}");
            return;
        }
        e.SessionItems[MoveSignerLogin.SessionItem] = true;
        logger.LogInformation("mqtt login move signer key={Key} from={Remote}", Convert.ToHexStringLower(key), e.RemoteEndPoint);
    }

    private static bool IsMoveSignerSession(IDictionary? items) => items is not null && items.Contains(MoveSignerLogin.SessionItem);

    /// <summary>Refuses the login; MQTT 5 clients get <paramref name="reason"/> as the CONNACK reason string, every client the code.</summary>
    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string reason)
    {
        e.ReasonCode = code;
        e.ReasonString = reason;
        logger.LogWarning("mqtt login refused meter={MeterId} client={ClientId} from={Remote} code={Code} reason={Reason}",
            e.UserName, e.ClientId, e.RemoteEndPoint, code, reason);
    }

    private Task AuthorizeSubscription(InterceptingSubscriptionEventArgs e)
    {
        string filter = e.TopicFilter.Topic;
        string? level = IsMoveSignerSession(e.SessionItems) ? null : OwnDownlinkLevel(e.UserName, filter);
        if (level is null)
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ProcessSubscription = false;
            logger.LogWarning("mqtt subscription refused meter={MeterId} filter={Filter}", e.UserName, filter);
            return Task.CompletedTask;
        }
        // Move instructions come from move signers' publishes and take MQTTnet's own routing (and retained store); the
        // gateway's messages take DeliverAsync, and its retained ones come from MeterRetainedMessages.
        if (level == MeterTopics.AcksLevel) MeterSubscriptions.Record(e.SessionItems, level, e.TopicFilter);
        else if (level != MeterTopics.MoveLevel && !retainedMessages.Subscribe(e.Session, level, e.TopicFilter))
        {
            logger.LogDebug("mqtt retained message dropped, the session's queue is full client={ClientId} topic={Topic}", e.ClientId, filter);
        }
        return Task.CompletedTask;
    }

    private Task ForgetSubscription(InterceptingUnsubscriptionEventArgs e)
    {
        if (OwnDownlinkLevel(e.UserName, e.Topic) is { } level && e.SessionItems is not null)
        {
            MeterSubscriptions.Forget(e.SessionItems, level);
            DisplayNeedMayHaveChanged?.Invoke(e.UserName!);
        }
        return Task.CompletedTask;
    }

    /// <summary>The level of the meter's own acks, display, proofs or move topic that <paramref name="filter"/> names exactly, or null.</summary>
    private string? OwnDownlinkLevel(string? meterId, string filter)
    {
        if (string.IsNullOrEmpty(meterId)) return null;
        if (filter == topics.Acks(meterId)) return MeterTopics.AcksLevel;
        if (filter == topics.Display(meterId)) return MeterTopics.DisplayLevel;
        if (filter == topics.Proofs(meterId)) return MeterTopics.ProofsLevel;
        if (filter == topics.Move(meterId)) return MeterTopics.MoveLevel;
        return null;
    }

    private Task TakePublish(InterceptingPublishEventArgs e)
    {
        if (IsMoveSignerSession(e.SessionItems))
        {
            TakeMoveInstruction(e);
            return Task.CompletedTask;
        }
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

    /// <summary>A move signer's publish: routed and kept (retained) only on an enrolled meter's move topic.</summary>
    private void TakeMoveInstruction(InterceptingPublishEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        string? meterId = topics.MeterOf(topic, MeterTopics.MoveLevel);
        if (meterId is null || enrolledKey(meterId) is null || !e.ApplicationMessage.Retain)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            logger.LogWarning("mqtt publish refused move signer topic={Topic}: a move signer publishes only retained messages to an enrolled meter's move topic", topic);
            return;
        }
        logger.LogInformation("mqtt move instruction kept for meter={MeterId} ({Bytes} bytes)", meterId, e.ApplicationMessage.Payload.Length);
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
        // MQTTnet disposed its adapters with the server; this one is idempotent, and disposing it here does not depend on that.
        listener.Dispose();
    }
}
