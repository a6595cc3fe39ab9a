using System;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Protocol.Readings
{
    /// <summary>
    /// The canonical bytes of a reading: a deterministic CBOR map with unsigned keys 1..9, all required.
    /// Every valid reading has exactly one encoding, and <see cref="Decode"/> accepts only that encoding.
    /// </summary>
    public static class MeterReadingCodec
    {
        public static byte[] Encode(MeterReading reading)
        {
            ArgumentNullException.ThrowIfNull(reading);
            CborEncoder encoder = new CborEncoder(128);
            encoder.WriteMapHeader(ReadingKeys.Count);
            encoder.WriteInt64(ReadingKeys.ChainId);
            encoder.WriteTextString(reading.ChainId);
            encoder.WriteInt64(ReadingKeys.MeterId);
            encoder.WriteTextString(reading.MeterId);
            encoder.WriteInt64(ReadingKeys.Sequence);
            encoder.WriteInt64(reading.Sequence);
            encoder.WriteInt64(ReadingKeys.IntervalStart);
            encoder.WriteInt64(reading.IntervalStart);
            encoder.WriteInt64(ReadingKeys.IntervalLengthSeconds);
            encoder.WriteInt64(reading.IntervalLengthSeconds);
            encoder.WriteInt64(ReadingKeys.ImportWh);
            encoder.WriteInt64(reading.ImportWh);
            encoder.WriteInt64(ReadingKeys.ExportWh);
            encoder.WriteInt64(reading.ExportWh);
            encoder.WriteInt64(ReadingKeys.PvWh);
            encoder.WriteInt64(reading.PvWh);
            encoder.WriteInt64(ReadingKeys.FirmwareVersion);
            encoder.WriteTextString(reading.FirmwareVersion);
            return encoder.ToArray();
        }

        /// <exception cref="CborFormatException">not deterministic CBOR, or a value of the wrong CBOR type.</exception>
        /// <exception cref="ReadingFormatException">a key is missing or unknown, or a value is out of range.</exception>
        public static MeterReading Decode(byte[] encoded)
        {
            ArgumentNullException.ThrowIfNull(encoded);
            CborDecoder decoder = new CborDecoder(encoded);
            if (decoder.PeekKind() != CborItemKind.Map)
            {
                throw new CborFormatException("a reading must be a map, found " + CborItemKinds.Describe(decoder.PeekKind()), 0);
            }
            int pairs = decoder.ReadMapHeader();
            string? chainId = null;
            string? meterId = null;
            string? firmwareVersion = null;
            long sequence = 0, intervalStart = 0, intervalLength = 0, importWh = 0, exportWh = 0, pvWh = 0;
            int seen = 0;
            for (int i = 0; i < pairs; i++)
            {
                int keyOffset = decoder.Position;
                if (decoder.PeekKind() != CborItemKind.UnsignedInteger)
                {
                    throw new CborFormatException("reading map keys must be unsigned integers 1..9, found " + CborItemKinds.Describe(decoder.PeekKind()), keyOffset);
                }
                long key = decoder.ReadInt64();
                if (key < ReadingKeys.ChainId || key > ReadingKeys.FirmwareVersion)
                {
                    throw new ReadingFormatException("map", "unknown key " + key + " at byte offset " + keyOffset + "; a reading has exactly the keys 1..9");
                }
                // Keys are strictly ascending (the decoder enforces it), so no key can repeat and the bit is new.
                seen |= 1 << (int)key;
                switch ((int)key)
                {
                    case ReadingKeys.ChainId: chainId = ReadText(decoder, key); break;
                    case ReadingKeys.MeterId: meterId = ReadText(decoder, key); break;
                    case ReadingKeys.Sequence: sequence = ReadUnsigned(decoder, key); break;
                    case ReadingKeys.IntervalStart: intervalStart = ReadUnsigned(decoder, key); break;
                    case ReadingKeys.IntervalLengthSeconds: intervalLength = ReadUnsigned(decoder, key); break;
                    case ReadingKeys.ImportWh: importWh = ReadUnsigned(decoder, key); break;
                    case ReadingKeys.ExportWh: exportWh = ReadUnsigned(decoder, key); break;
                    case ReadingKeys.PvWh: pvWh = ReadUnsigned(decoder, key); break;
                    default: firmwareVersion = ReadText(decoder, key); break;
                }
            }
            decoder.ExpectEnd();
            for (int key = ReadingKeys.ChainId; key <= ReadingKeys.FirmwareVersion; key++)
            {
                if ((seen & (1 << key)) == 0)
                {
                    throw new ReadingFormatException(ReadingKeys.FieldName(key), "required key " + key + " (" + ReadingKeys.FieldName(key) + ") is missing; a reading has all of the keys 1..9");
                }
            }
            string field;
            string? problem = MeterReadingRules.FindProblem(
                chainId, meterId, sequence, intervalStart, intervalLength, importWh, exportWh, pvWh, firmwareVersion, out field);
            if (problem != null) throw new ReadingFormatException(field, problem);
            return new MeterReading(chainId!, meterId!, sequence, intervalStart, (int)intervalLength, importWh, exportWh, pvWh, firmwareVersion!);
        }

        private static string ReadText(CborDecoder decoder, long key)
        {
            ExpectKind(decoder, key, CborItemKind.TextString);
            return decoder.ReadTextString();
        }

        private static long ReadUnsigned(CborDecoder decoder, long key)
        {
            ExpectKind(decoder, key, CborItemKind.UnsignedInteger);
            return decoder.ReadInt64();
        }

        private static void ExpectKind(CborDecoder decoder, long key, CborItemKind wanted)
        {
            CborItemKind kind = decoder.PeekKind();
            if (kind != wanted)
            {
                throw new CborFormatException(
                    "reading key " + key + " (" + ReadingKeys.FieldName(key) + ") must be " + CborItemKinds.Describe(wanted) + ", found " + CborItemKinds.Describe(kind),
                    decoder.Position);
            }
        }
    }
}
