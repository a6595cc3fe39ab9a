using System;

namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>
    /// The input is not CBOR in the deterministic subset this protocol accepts. <see cref="Offset"/> is
    /// the byte offset (from the start of the decoded buffer) of the item or byte at fault.
    /// </summary>
    public class CborFormatException : FormatException
    {
        public CborFormatException(string problem, int offset)
            : base("CBOR: " + problem + " (at byte offset " + offset + ")")
        {
            Offset = offset;
        }

        public int Offset { get; }
    }
}
