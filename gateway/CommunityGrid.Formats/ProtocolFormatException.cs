using System;

namespace CommunityGrid.Formats
{
    /// <summary>
    /// Wire data that does not follow docs/protocol.md: not deterministic CBOR, the wrong structure, or a value
    /// out of range. One exception type for callers, whatever System.Formats.Cbor threw underneath.
    /// </summary>
    public sealed class ProtocolFormatException : FormatException
    {
        public ProtocolFormatException(string message)
            : base(message)
        {
        }

        public ProtocolFormatException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
