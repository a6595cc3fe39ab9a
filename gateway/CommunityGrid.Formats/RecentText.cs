using System;
using System.Formats.Cbor;

namespace CommunityGrid.Formats
{
    /// <summary>
    /// A text string item read last in one place of a format (one per thread), kept with its encoded bytes: the next
    /// item with the very same bytes gives the same string without making another (a reading's chain id and firmware
    /// version are the same in almost every reading). Any other bytes are read by <see cref="CborReader.ReadTextString"/>
    /// with all its checks, so what is accepted and returned does not change.
    /// </summary>
    internal sealed class RecentText
    {
        private readonly byte[] encoded;
        private readonly string value;

        private RecentText(byte[] encoded, string value)
        {
            this.encoded = encoded;
            this.value = value;
        }

        /// <summary>Reads the text string item at the reader's position, through <paramref name="recent"/>, which it updates.</summary>
        public static string Read(StrictCbor cbor, ref RecentText? recent)
        {
            ArgumentNullException.ThrowIfNull(cbor);
            ReadOnlySpan<byte> rest = cbor.Rest;
            if (recent is not null && rest.StartsWith(recent.encoded))
            {
                // The same bytes as an item that read as valid text: the same string. SkipValue moves past it.
                cbor.Reader.SkipValue();
                return recent.value;
            }
            int before = cbor.Reader.BytesRemaining;
            string text = cbor.Reader.ReadTextString();
            recent = new RecentText(rest[..(before - cbor.Reader.BytesRemaining)].ToArray(), text);
            return text;
        }
    }
}
