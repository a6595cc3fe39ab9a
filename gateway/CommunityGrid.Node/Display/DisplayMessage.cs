using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Node.Display;

public static class DisplayMessage
{
    /// <summary>
    /// Retained, so a meter gets the latest figures the moment it subscribes (after a reboot or a reconnect) instead of
    /// waiting for the next interval to close; QoS 1 like every topic of the scheme.
    /// </summary>
    public static MqttApplicationMessage Retained(string topic, byte[] signedDisplay) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(signedDisplay)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag()
        .Build();
}
