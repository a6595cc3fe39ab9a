namespace CommunityGrid.Peering.Transport;

internal readonly record struct OutgoingMessage(byte Channel, byte[] Payload);
