namespace CommunityGrid.Peering.Handshake;

/// <summary>Which end of the connection: the dialer is the TLS client. Signed into the proof against reflection.</summary>
internal enum HandshakeRole : byte
{
    Dialer = 1,
    Listener = 2,
}
