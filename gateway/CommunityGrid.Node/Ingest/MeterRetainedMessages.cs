using System;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The latest retained display and proof message of each meter topic the embedded broker publishes on, kept here and not
/// in MQTTnet's retained store. MQTTnet 5.2 copies its whole retained store for every SUBSCRIBE packet and matches each
/// message against each filter (MqttClientSubscriptionsManager.Subscribe), so with two messages per meter a login storm
/// cost O(meters²) (issue 18). A meter subscribes only to its own exact topics (EmbeddedBroker.AuthorizeSubscription), so
/// the one message a filter can match is found by the filter itself. At most one message per enrolled meter and level.
/// </summary>
/// <remarks>
/// Replacing a topic's message and a session's subscription to that topic (the record in <see cref="MeterSubscriptions"/>
/// and the retained copy) take the topic's lock, and the broker enqueues the live copies of a message only after
/// replacing it: a session that subscribed before gets the older message retained and then the newer one live; one
/// that subscribes after gets the newer one retained (and perhaps live too); never the older message after the newer.
/// </remarks>
internal sealed class MeterRetainedMessages
{
    private readonly ConcurrentDictionary<string, Slot> slots = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="payload"/> the topic's retained message.</summary>
    public void Replace(string topic, byte[] payload)
    {
        Slot slot = slots.GetOrAdd(topic, static _ => new Slot());
        lock (slot) slot.Payload = payload;
    }

    /// <summary>
    /// Records <paramref name="session"/>'s subscription to its meter's <paramref name="level"/> topic (the exact topic
    /// <paramref name="filter"/> names) and enqueues the topic's retained message into it, as MQTT 5 §3.3.1.3 and §3.8.3.1
    /// want a retained message sent on subscribe: the retain flag set, the QoS the lower of the one granted and the one
    /// published (1), and only as Retain Handling allows (0: always; 1: only if the subscription is new; 2: never).
    /// </summary>
    /// <returns>False when the session's queue was full and the retained copy was dropped.</returns>
    public bool Subscribe(MqttSessionStatus session, string level, MqttTopicFilter filter)
    {
        Slot slot = slots.GetOrAdd(filter.Topic, static _ => new Slot());
        lock (slot)
        {
            bool isNew = MeterSubscriptions.Of(session.Items, level) is null;
            MeterSubscriptions.Record(session.Items, level, filter);
            if (slot.Payload is null || !SendsOnSubscribe(filter.RetainHandling, isNew)) return true;
            MqttQualityOfServiceLevel qos = filter.QualityOfServiceLevel < MqttQualityOfServiceLevel.AtLeastOnce ? filter.QualityOfServiceLevel : MqttQualityOfServiceLevel.AtLeastOnce;
            MqttApplicationMessage retained = new MqttApplicationMessageBuilder()
                .WithTopic(filter.Topic)
                .WithPayload(slot.Payload)
                .WithQualityOfServiceLevel(qos)
                .WithRetainFlag(true)
                .Build();
            return session.TryEnqueueApplicationMessage(retained, out _);
        }
    }

    private static bool SendsOnSubscribe(MqttRetainHandling handling, bool isNewSubscription) => handling switch
    {
        MqttRetainHandling.SendAtSubscribe => true,
        MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly => isNewSubscription,
        _ => false,
    };

    /// <summary>One topic's message; its lock orders replacements against subscriptions.</summary>
    private sealed class Slot
    {
        public byte[]? Payload;
    }
}
