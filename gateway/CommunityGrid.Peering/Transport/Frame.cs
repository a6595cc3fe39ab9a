namespace CommunityGrid.Peering.Transport;

/// <summary>One frame off the wire: the channel byte and the payload after it.</summary>
internal readonly record struct Frame(byte Channel, byte[] Payload);
