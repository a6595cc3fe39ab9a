using System;

namespace CommunityGrid.Consensus.Messages;

/// <summary>Bytes that are not a consensus message of this protocol; the message says what is wrong.</summary>
public sealed class ConsensusFormatException : Exception
{
    public ConsensusFormatException(string message) : base(message) { }

    public ConsensusFormatException(string message, Exception inner) : base(message, inner) { }
}
