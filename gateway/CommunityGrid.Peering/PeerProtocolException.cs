using System;

namespace CommunityGrid.Peering;

/// <summary>A peer broke the protocol or was refused; the message is the reason logged and shown in the peer status.</summary>
public sealed class PeerProtocolException : Exception
{
    public PeerProtocolException(string message) : base(message)
    {
    }
}
