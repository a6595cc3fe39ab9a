using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Peering.Transport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Broker;

/// <summary>
/// The embedded broker hands the gateway's acks and proof messages straight to the sessions of the meter they are for
/// (MeterSubscriptions), not through MQTTnet's topic matching: these hold that path to what MQTT routing promises,
/// session by session: only what the session subscribed to and still does, at the QoS granted, live copies without the
/// retain flag, kept for a persistent session while it is away, nothing for a clean start that did not subscribe again.
/// </summary>
public sealed class DownlinkDeliveryTests
{
    [Fact]
    public async Task Each_session_of_a_meter_gets_what_it_subscribed_to_at_its_QoS_and_nothing_after_unsubscribing_or_a_clean_start()
    {
        using var grid = new TestGrid(2);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using var a = new Session(grid, "m01", "m01-a");
        await using var b = new Session(grid, "m01", "m01-b");
        await using var other = new Session(grid, "m02", "m02-a");
        await a.ConnectAsync(port, cleanStart: true);
        await b.ConnectAsync(port, cleanStart: true);
        await other.ConnectAsync(port, cleanStart: true);
        await a.SubscribeAsync(Session.Topic("m01", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);
        await a.SubscribeAsync(Session.Topic("m01", "proofs"), MqttQualityOfServiceLevel.AtMostOnce);
        await other.SubscribeAsync(Session.Topic("m02", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);

        // a takes proofs too, so it is a light client and gets no committed ack (docs/protocol.md §7.7, ReleaseAckTests).
        await a.PublishAsync(grid.Reading("m01", 1, 10));
        // The proof message after the reading's block comes live: the QoS 0 the session asked for, no retain flag.
        Received proof = await a.WaitAsync(m => m.Level == "proofs" && !m.Retain, "a live proof message for m01");
        Assert.Equal(MqttQualityOfServiceLevel.AtMostOnce, proof.Qos);
        Assert.Empty(b.Messages);

        // b subscribes to the acks, a leaves them: reading 2's ack goes to b alone.
        await b.SubscribeAsync(Session.Topic("m01", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);
        await a.UnsubscribeAsync(Session.Topic("m01", "acks"));
        await a.PublishAsync(grid.Reading("m01", 2, 20));
        Received ack2 = await b.WaitAsync(m => m.Level == "acks" && m.Sequence == 2, "b's ack of reading 2");
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, ack2.Qos);
        Assert.False(ack2.Retain);
        await a.WaitAsync(m => m.Level == "proofs" && !m.Retain && !ReferenceEquals(m, proof), "a's live proof message after reading 2");
        Assert.DoesNotContain(a.Messages, m => m.Level == "acks" && m.Sequence == 2);

        // a comes back with a clean start and subscribes to nothing: its old subscriptions died with its old session.
        await a.DisconnectAsync();
        await a.ConnectAsync(port, cleanStart: true);
        int before = a.Messages.Count;
        await b.PublishAsync(grid.Reading("m01", 3, 30));
        await b.WaitAsync(m => m.Level == "acks" && m.Sequence == 3, "b's ack of reading 3");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(before, a.Messages.Count);
        Assert.DoesNotContain(other.Messages, m => m.Topic.Contains("/m01/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_persistent_session_away_when_its_ack_is_made_gets_it_when_it_resumes()
    {
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port));
        await using var away = new Session(grid, "m01", "m01-away");
        await using var sender = new Session(grid, "m01", "m01-sender");
        await away.ConnectAsync(port, cleanStart: true, sessionExpirySeconds: 300);
        await away.SubscribeAsync(Session.Topic("m01", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);
        await away.DisconnectAsync();
        await sender.ConnectAsync(port, cleanStart: true);
        await sender.SubscribeAsync(Session.Topic("m01", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);

        await sender.PublishAsync(grid.Reading("m01", 1, 10));
        await sender.WaitAsync(m => m.Level == "acks" && m.Sequence == 1, "the sender's ack");
        await away.ConnectAsync(port, cleanStart: false, sessionExpirySeconds: 300);
        Received kept = await away.WaitAsync(m => m.Level == "acks" && m.Sequence == 1, "the ack kept in the away session");
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, kept.Qos);
    }

    [Fact]
    public async Task An_away_session_keeps_at_most_its_bound_drops_the_newest_and_gets_the_newest_proof_retained_when_it_subscribes()
    {
        const int bound = 4;
        const int readings = bound + 4;
        using var grid = new TestGrid(1);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with
        {
            MqttLimits = BrokerLimits.Default with { MaxQueuedMessagesPerSession = bound },
        });
        await using var away = new Session(grid, "m01", "m01-away");
        await using var sender = new Session(grid, "m01", "m01-sender");
        // The away session takes acks only (a meter without a validator set), so the gateway keeps signing status 0/1 acks
        // for the meter (protocol.md §7.7) and every one of them is queued for it while it is away.
        await away.ConnectAsync(port, cleanStart: true, sessionExpirySeconds: 300);
        await away.SubscribeAsync(Session.Topic("m01", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);
        await away.DisconnectAsync();
        int beforeAway = away.Messages.Count;
        await sender.ConnectAsync(port, cleanStart: true);
        await sender.SubscribeAsync(Session.Topic("m01", "acks"), MqttQualityOfServiceLevel.AtLeastOnce);
        await sender.SubscribeAsync(Session.Topic("m01", "proofs"), MqttQualityOfServiceLevel.AtLeastOnce);

        // One reading per block, each acknowledged and proved before the next: one ack per block for the away session.
        for (int sequence = 1; sequence <= readings; sequence++)
        {
            await sender.PublishAsync(grid.Reading("m01", sequence, 10 * sequence));
            await sender.WaitAsync(m => m.Level == "acks" && m.Sequence == sequence, $"the sender's ack of reading {sequence}");
            // The proof message may come before or after the ack (they have their own senders).
            int proved = sequence;
            await Waits.UntilAsync(() => sender.Messages.Count(m => m.Level == "proofs" && !m.Retain) >= proved, TimeSpan.FromSeconds(20),
                $"the sender's live proof message after reading {sequence}");
        }
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        byte[] newestProof = sender.Messages.Last(m => m.Level == "proofs").Payload;

        // Back without subscribing: what waited in the session, the first `bound` messages; the newer ones were dropped.
        await away.ConnectAsync(port, cleanStart: false, sessionExpirySeconds: 300);
        await Waits.UntilAsync(() => away.Messages.Count - beforeAway >= bound, TimeSpan.FromSeconds(20),
            $"the {bound} messages kept in the away session ({away.Messages.Count - beforeAway} so far)");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Received[] kept = [.. away.Messages.Skip(beforeAway)];
        Assert.Equal(bound, kept.Length);
        Assert.All(kept, m => Assert.False(m.Retain));
        long[] acks = [.. kept.Where(m => m.Level == "acks").Select(m => m.Sequence!.Value)];
        Assert.NotEmpty(acks);
        Assert.Equal(Enumerable.Range(1, acks.Length).Select(i => (long)i), acks);

        // Subscribing after the connect, as a meter does (protocol.md §7.1), brings the newest proof message as the retained copy.
        await away.SubscribeAsync(Session.Topic("m01", "proofs"), MqttQualityOfServiceLevel.AtLeastOnce);
        Received? retained = null;
        await Waits.UntilAsync(() => (retained = away.Messages.Skip(beforeAway + bound).FirstOrDefault(m => m.Level == "proofs" && m.Retain)) is not null,
            TimeSpan.FromSeconds(20), "the retained proof message after subscribing again");
        Assert.Equal(newestProof, retained!.Payload);

        // The dropped messages stay dropped: another reconnect hands out no ack again (MQTTnet's drop-the-oldest strategy would).
        await away.DisconnectAsync();
        int seen = away.Messages.Count;
        await away.ConnectAsync(port, cleanStart: false, sessionExpirySeconds: 300);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.DoesNotContain(away.Messages.Skip(seen), m => m.Level == "acks");
    }

    private sealed record Received(string Topic, string Level, MqttQualityOfServiceLevel Qos, bool Retain, long? Sequence, byte[] Payload);

    /// <summary>One MQTT 5 session of a meter under a client id of the test's choosing, recording every message it gets.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
        private readonly TestGrid grid;
        private readonly string meterId;
        private readonly string clientId;

        public Session(TestGrid grid, string meterId, string clientId)
        {
            this.grid = grid;
            this.meterId = meterId;
            this.clientId = clientId;
            var gateways = new TrustedSigners([grid.Gateway.PublicKey]);
            client.ApplicationMessageReceivedAsync += e =>
            {
                string topic = e.ApplicationMessage.Topic;
                string level = topic[(topic.LastIndexOf('/') + 1)..];
                long? sequence = level == "acks" ? GatewayAckCodec.Open(e.ApplicationMessage.Payload.ToArray(), gateways).Sequence : null;
                Messages.Enqueue(new Received(topic, level, e.ApplicationMessage.QualityOfServiceLevel, e.ApplicationMessage.Retain, sequence,
                    e.ApplicationMessage.Payload.ToArray()));
                return Task.CompletedTask;
            };
        }

        public ConcurrentQueue<Received> Messages { get; } = new();

        public static string Topic(string meterId, string level) => $"cg/{TestGrid.ChainId}/meters/{meterId}/{level}";

        public async Task ConnectAsync(int port, bool cleanStart, uint sessionExpirySeconds = 0)
        {
            MqttClientOptions options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(clientId)
                .WithCleanStart(cleanStart)
                .WithSessionExpiryInterval(sessionExpirySeconds)
                .WithCredentials(meterId, MqttCredentials.Password(TestGrid.ChainId, meterId, grid.MeterSeeds[meterId]))
                .WithTimeout(TimeSpan.FromSeconds(10))
                .Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(MqttClientConnectResultCode.Success, (await client.ConnectAsync(options, timeout.Token)).ResultCode);
        }

        public async Task SubscribeAsync(string topic, MqttQualityOfServiceLevel qos)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            MqttClientSubscribeResult result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, qos).Build(), timeout.Token);
            Assert.Equal((int)qos, (int)result.Items.Single().ResultCode);
        }

        public async Task UnsubscribeAsync(string topic)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(topic).Build(), timeout.Token);
        }

        public async Task PublishAsync(byte[] reading)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(Topic(meterId, "readings"))
                .WithPayload(reading)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            Assert.Equal(MqttClientPublishReasonCode.Success, (await client.PublishAsync(message, timeout.Token)).ReasonCode);
        }

        public async Task<Received> WaitAsync(Func<Received, bool> match, string what)
        {
            Received? found = null;
            await Waits.UntilAsync(() => (found = Messages.FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(20), $"{what} ({Messages.Count} messages so far)");
            return found!;
        }

        public Task DisconnectAsync() => client.DisconnectAsync();

        public async ValueTask DisposeAsync()
        {
            if (client.IsConnected) await client.DisconnectAsync();
            client.Dispose();
        }
    }
}
