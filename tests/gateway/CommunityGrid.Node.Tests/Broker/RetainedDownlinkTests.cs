using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Node.Timing;
using CommunityGrid.Peering.Transport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Tests.Broker;

/// <summary>
/// The embedded broker keeps each meter's latest display and proof message itself (MeterRetainedMessages) and hands it
/// to a new subscription of that meter's own topic as MQTT 5 hands out a retained message (§3.3.1.3, §3.8.3.1), while
/// MQTTnet's retained store, which MQTTnet copies whole for every SUBSCRIBE packet, holds none of them (issue 18).
/// </summary>
public sealed class RetainedDownlinkTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_later_subscriber_gets_exactly_the_latest_message_of_its_own_topic_retained_as_its_retain_handling_asks()
    {
        using var grid = new TestGrid(2);
        // A frozen clock: no interval closes during the test, so the only display messages are the start-up ones and the test's.
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) });
        var broker = Assert.IsType<EmbeddedBroker>(node.MeterLink);
        string m01Display = MqttTopics.Display(TestGrid.ChainId, "m01");
        await using var live = await Subscriber.ConnectAsync(grid, "m01", port);
        await live.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribe);
        await live.WaitAsync(m => m.Retain, "m01's start-up display, retained");
        // The blocks the node makes at start refresh the display too; the test's own messages come after the last of them.
        await WaitQuietAsync(node, live);
        await using var m02 = await Subscriber.ConnectAsync(grid, "m02", port);
        await m02.SubscribeAsync(MqttTopics.Display(TestGrid.ChainId, "m02"), MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribe);
        await m02.WaitAsync(m => m.Retain, "m02's start-up display, retained");

        byte[] older = [1, 2, 3];
        byte[] newer = [4, 5, 6, 7];
        await broker.PublishDisplayAsync("m01", older, CancellationToken.None);
        await broker.PublishDisplayAsync("m01", newer, CancellationToken.None);
        await live.WaitAsync(m => !m.Retain && m.Payload.SequenceEqual(newer), "the newer display, live");

        // Retain Handling 0 at QoS 1 and at QoS 0: the newer message alone, retain flag set, at the lower of 1 and the QoS granted.
        await using var atOnce = await Subscriber.ConnectAsync(grid, "m01", port);
        await atOnce.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribe);
        await using var qos0 = await Subscriber.ConnectAsync(grid, "m01", port);
        await qos0.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtMostOnce, MqttRetainHandling.SendAtSubscribe);
        // Retain Handling 2: nothing at subscribe.
        await using var never = await Subscriber.ConnectAsync(grid, "m01", port);
        await never.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.DoNotSendOnSubscribe);
        await atOnce.WaitAsync(_ => true, "the retained display at Retain Handling 0");
        await qos0.WaitAsync(_ => true, "the retained display at QoS 0");
        await Task.Delay(Quiet);
        Received kept = Assert.Single(atOnce.Messages);
        Assert.Equal(m01Display, kept.Topic);
        Assert.True(kept.Retain);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, kept.Qos);
        Assert.Equal(newer, kept.Payload);
        Received keptAtQos0 = Assert.Single(qos0.Messages);
        Assert.True(keptAtQos0.Retain);
        Assert.Equal(MqttQualityOfServiceLevel.AtMostOnce, keptAtQos0.Qos);
        Assert.Equal(newer, keptAtQos0.Payload);
        Assert.Empty(never.Messages);

        // Subscribing again to the same filter: Retain Handling 1 sends nothing for an existing subscription, 0 sends again.
        await atOnce.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
        await Task.Delay(Quiet);
        Assert.Single(atOnce.Messages);
        await atOnce.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribe);
        await Waits.UntilAsync(() => atOnce.Messages.Count == 2, TimeSpan.FromSeconds(10), "the retained display again at Retain Handling 0");
        Assert.All(atOnce.Messages, m => Assert.Equal(newer, m.Payload));
        // Retain Handling 1 on a new subscription (after unsubscribing) sends. (A meter holds at most 4 sessions, so no fifth client.)
        await qos0.UnsubscribeAsync(m01Display);
        await qos0.SubscribeAsync(m01Display, MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
        await Waits.UntilAsync(() => qos0.Messages.Count == 2, TimeSpan.FromSeconds(10), "the retained display at Retain Handling 1 on a new subscription");
        Received first = qos0.Messages.Last();
        Assert.True(first.Retain);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, first.Qos);
        Assert.Equal(newer, first.Payload);

        // The Retain Handling 2 subscription holds: it gets the next message live. And m02 never saw anything of m01.
        byte[] newest = [8];
        await broker.PublishDisplayAsync("m01", newest, CancellationToken.None);
        Received liveCopy = await never.WaitAsync(_ => true, "the next display, live, at Retain Handling 2");
        Assert.False(liveCopy.Retain);
        Assert.Equal(newest, liveCopy.Payload);
        Assert.All(m02.Messages, m => Assert.Equal(MqttTopics.Display(TestGrid.ChainId, "m02"), m.Topic));
    }

    [Fact]
    public async Task MQTTnets_retained_store_holds_no_meter_display_or_proof_message_after_every_meter_got_its_own()
    {
        const int meters = 6;
        using var grid = new TestGrid(meters);
        int port = LoopbackPorts.Reserve();
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(port) with { Clock = new VirtualClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) });
        var broker = Assert.IsType<EmbeddedBroker>(node.MeterLink);
        var subscribers = new List<Subscriber>();
        try
        {
            foreach (string meterId in grid.MeterSeeds.Keys.Order(StringComparer.Ordinal))
            {
                Subscriber subscriber = await Subscriber.ConnectAsync(grid, meterId, port);
                subscribers.Add(subscriber);
                await subscriber.SubscribeAsync(MqttTopics.Display(TestGrid.ChainId, meterId), MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribe);
                await subscriber.SubscribeAsync(MqttTopics.Proofs(TestGrid.ChainId, meterId), MqttQualityOfServiceLevel.AtLeastOnce, MqttRetainHandling.SendAtSubscribe);
            }
            foreach (Subscriber subscriber in subscribers)
            {
                // The node's start-up messages, retained or live depending on whether they were out before the subscription.
                await Waits.UntilAsync(() => subscriber.Messages.Any(m => m.Topic.EndsWith("/proofs", StringComparison.Ordinal))
                    && subscriber.Messages.Any(m => m.Topic.EndsWith("/display", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), $"{subscriber.MeterId}'s proof and display");
            }
            Assert.Equal(meters, subscribers.Count);
            foreach (Subscriber subscriber in subscribers)
            {
                Assert.All(subscriber.Messages, m => Assert.Contains($"/meters/{subscriber.MeterId}/", m.Topic, StringComparison.Ordinal));
            }

            // Each of those SUBSCRIBE packets would have copied every message in MQTTnet's store; it holds none of them.
            Assert.Empty(await broker.MqttnetRetainedMessagesAsync());
        }
        finally
        {
            foreach (Subscriber subscriber in subscribers) await subscriber.DisposeAsync();
        }
    }

    /// <summary>Waits until the node makes no block and <paramref name="subscriber"/> gets no message for a while.</summary>
    private static async Task WaitQuietAsync(GatewayNode node, Subscriber subscriber)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            (long height, int count) = (node.Height, subscriber.Messages.Count);
            await Task.Delay(TimeSpan.FromSeconds(2));
            if (node.Height == height && subscriber.Messages.Count == count) return;
            Assert.True(DateTime.UtcNow < deadline, "the node kept publishing display messages for 30 s under a frozen clock");
        }
    }

    private sealed record Received(string Topic, MqttQualityOfServiceLevel Qos, bool Retain, byte[] Payload);

    /// <summary>An MQTT 5 session of a meter with a clean start, recording every message it gets.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();

        private Subscriber(string meterId)
        {
            MeterId = meterId;
            client.ApplicationMessageReceivedAsync += e =>
            {
                MqttApplicationMessage message = e.ApplicationMessage;
                Messages.Enqueue(new Received(message.Topic, message.QualityOfServiceLevel, message.Retain, message.Payload.ToArray()));
                return Task.CompletedTask;
            };
        }

        public string MeterId { get; }

        public ConcurrentQueue<Received> Messages { get; } = new();

        public static async Task<Subscriber> ConnectAsync(TestGrid grid, string meterId, int port)
        {
            var subscriber = new Subscriber(meterId);
            MqttClientOptions options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId($"{meterId}-{Guid.NewGuid():N}"[..12])
                .WithCredentials(meterId, MqttCredentials.Password(TestGrid.ChainId, meterId, grid.MeterSeeds[meterId]))
                .WithTimeout(TimeSpan.FromSeconds(10))
                .Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Equal(MqttClientConnectResultCode.Success, (await subscriber.client.ConnectAsync(options, timeout.Token)).ResultCode);
            return subscriber;
        }

        public async Task SubscribeAsync(string topic, MqttQualityOfServiceLevel qos, MqttRetainHandling retainHandling)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            MqttClientSubscribeOptions options = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(new MqttTopicFilterBuilder().WithTopic(topic).WithQualityOfServiceLevel(qos).WithRetainHandling(retainHandling))
                .Build();
            MqttClientSubscribeResult result = await client.SubscribeAsync(options, timeout.Token);
            Assert.Equal((int)qos, (int)result.Items.Single().ResultCode);
        }

        public async Task UnsubscribeAsync(string topic)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(topic).Build(), timeout.Token);
        }

        public async Task<Received> WaitAsync(Func<Received, bool> match, string what)
        {
            Received? found = null;
            await Waits.UntilAsync(() => (found = Messages.FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(20), $"{what} ({Messages.Count} messages so far)");
            return found!;
        }

        public async ValueTask DisposeAsync()
        {
            if (client.IsConnected) await client.DisconnectAsync();
            client.Dispose();
        }
    }
}
