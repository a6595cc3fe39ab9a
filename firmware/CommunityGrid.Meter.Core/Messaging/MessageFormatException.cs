using System;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>A gateway message (ack or display) that is well-formed CBOR but breaks the message's own rules.</summary>
    public class MessageFormatException : FormatException
    {
        public MessageFormatException(string message, string field, string problem)
            : base(message + " " + field + ": " + problem)
        {
            Field = field;
            Problem = problem;
        }

        /// <summary>The field at fault, e.g. "sequence", or "map" for the structure itself.</summary>
        public string Field { get; }

        public string Problem { get; }
    }
}
