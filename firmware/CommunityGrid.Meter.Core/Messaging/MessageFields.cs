using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// Reading and checking the fields of the small keyed maps gateways send down ({uint key: value}, keys ascending,
    /// all of this protocol's deterministic CBOR). Shared by the ack and display decoders so both reject alike.
    /// </summary>
    internal static class MessageFields
    {
        public const int MaxReasonBytes = 256;

        /// <summary>Reads the top-level map header; returns its pair count.</summary>
        public static int ReadMapHeader(CborDecoder decoder, string message)
        {
            if (decoder.PeekKind() != CborItemKind.Map)
            {
                throw new CborFormatException(message + " must be a map, found " + CborItemKinds.Describe(decoder.PeekKind()), decoder.Position);
            }
            return decoder.ReadMapHeader();
        }

        /// <summary>Reads a key; the decoder has already enforced strictly ascending keys, so none can repeat.</summary>
        public static int ReadKey(CborDecoder decoder, string message, int maxKey)
        {
            int offset = decoder.Position;
            if (decoder.PeekKind() != CborItemKind.UnsignedInteger)
            {
                throw new CborFormatException(message + " keys must be unsigned integers 1.." + maxKey + ", found " + CborItemKinds.Describe(decoder.PeekKind()), offset);
            }
            long key = decoder.ReadInt64();
            if (key < 1 || key > maxKey)
            {
                throw new MessageFormatException(message, "map", "unknown key " + key + " at byte offset " + offset + "; the keys are 1.." + maxKey);
            }
            return (int)key;
        }

        public static string ReadText(CborDecoder decoder, string message, string field)
        {
            Expect(decoder, message, field, CborItemKind.TextString);
            return decoder.ReadTextString();
        }

        public static long ReadUnsigned(CborDecoder decoder, string message, string field)
        {
            Expect(decoder, message, field, CborItemKind.UnsignedInteger);
            return decoder.ReadInt64();
        }

        /// <summary>A signed integer: unsigned or negative CBOR integer.</summary>
        public static long ReadInteger(CborDecoder decoder, string message, string field)
        {
            CborItemKind kind = decoder.PeekKind();
            if (kind != CborItemKind.UnsignedInteger && kind != CborItemKind.NegativeInteger)
            {
                throw new CborFormatException(message + " " + field + " must be an integer, found " + CborItemKinds.Describe(kind), decoder.Position);
            }
            return decoder.ReadInt64();
        }

        /// <summary>The problem with a chain or meter id (1..64 UTF-8 bytes, as in a reading), or null.</summary>
        public static string? FindIdProblem(string? id)
        {
            if (id == null) return "is required";
            int bytes = Utf8.Encode(id).Length;
            if (bytes < 1 || bytes > MeterReadingRules.MaxIdBytes)
            {
                return "must be 1.." + MeterReadingRules.MaxIdBytes + " UTF-8 bytes, got " + bytes;
            }
            return null;
        }

        public static void CheckId(string message, string field, string? id)
        {
            string? problem = FindIdProblem(id);
            if (problem != null) throw new MessageFormatException(message, field, problem);
        }

        public static void CheckNotNegative(string message, string field, long value)
        {
            if (value < 0) throw new MessageFormatException(message, field, "must not be negative, got " + value);
        }

        private static void Expect(CborDecoder decoder, string message, string field, CborItemKind wanted)
        {
            CborItemKind kind = decoder.PeekKind();
            if (kind != wanted)
            {
                throw new CborFormatException(message + " " + field + " must be " + CborItemKinds.Describe(wanted) + ", found " + CborItemKinds.Describe(kind), decoder.Position);
            }
        }
    }
}
