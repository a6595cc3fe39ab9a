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
            Problem = problem;
            Offset = offset;
        }

        /// <summary>The problem without the "CBOR:" prefix and offset, for callers that re-report it in context.</summary>
        public string Problem { get; }

        public int Offset { get; }
    }
}
