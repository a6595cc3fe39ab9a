using System.Collections;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Ingest;

/// <summary>What a session subscribed to one of its meter's downlink topics with: the QoS granted and MQTT 5's retain-as-published.</summary>
internal sealed record GrantedSubscription(MqttQualityOfServiceLevel QualityOfService, bool RetainAsPublished);

/// <summary>
/// Which of its meter's downlink topics (acks, display, proofs) an embedded-broker session subscribed to, kept in the
/// session's own items. The broker lets a meter subscribe to nothing but its own exact topics (no wildcards), so a
/// message for meter X on level L goes exactly to X's sessions that hold L here: the gateway enqueues it into those
/// sessions directly instead of having MQTTnet match it against every session's subscriptions (issue 18: that match
/// was O(connected meters) per ack, display and proof message). The items die with the session: a clean start gets
/// new ones, so a reconnect that does not subscribe again gets nothing, as with MQTTnet's own routing.
/// </summary>
internal static class MeterSubscriptions
{
    private const string KeyPrefix = "communitygrid.subscribed.";
    private const string AcksKey = KeyPrefix + MeterTopics.AcksLevel;
    private const string DisplayKey = KeyPrefix + MeterTopics.DisplayLevel;
    private const string ProofsKey = KeyPrefix + MeterTopics.ProofsLevel;

    public static void Record(IDictionary sessionItems, string level, MqttTopicFilter filter) =>
        sessionItems[Key(level)] = new GrantedSubscription(filter.QualityOfServiceLevel, filter.RetainAsPublished);

    public static void Forget(IDictionary sessionItems, string level) => sessionItems.Remove(Key(level));

    public static GrantedSubscription? Of(IDictionary sessionItems, string level) => sessionItems[Key(level)] as GrantedSubscription;

    private static string Key(string level) => level switch
    {
        MeterTopics.AcksLevel => AcksKey,
        MeterTopics.DisplayLevel => DisplayKey,
        MeterTopics.ProofsLevel => ProofsKey,
        _ => KeyPrefix + level,
    };
}
