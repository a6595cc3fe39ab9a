namespace CommunityGrid.Meter.Linux.Mqtt
{
    /// <summary>A message from the broker, handed from MQTTnet's thread to the meter loop.</summary>
    public sealed record ReceivedMessage(string Topic, byte[] Payload);
}
