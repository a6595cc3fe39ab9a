using System;

namespace CommunityGrid.Protocol.Readings
{
    /// <summary>Well-formed CBOR that is not a valid reading: a missing or unknown key, or a value out of range.</summary>
    public class ReadingFormatException : FormatException
    {
        public ReadingFormatException(string field, string problem)
            : base("reading: " + problem)
        {
            Field = field;
        }

        /// <summary>The field at fault (a <see cref="MeterReading"/> property name), or "map" for structural problems.</summary>
        public string Field { get; }
    }
}
