namespace CommunityGrid.Peering;

/// <summary>A message received from an authenticated peer on an application channel (1-255).</summary>
public sealed record PeerMessage(PeerKey From, byte Channel, byte[] Payload);
