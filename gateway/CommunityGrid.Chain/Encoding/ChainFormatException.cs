using System;

namespace CommunityGrid.Chain.Encoding;

/// <summary>Bytes that are not a valid chain structure (transaction payload, header, body, commit, state value).</summary>
public sealed class ChainFormatException : FormatException
{
    public ChainFormatException(string message) : base(message) { }

    public ChainFormatException(string message, Exception inner) : base(message, inner) { }
}
