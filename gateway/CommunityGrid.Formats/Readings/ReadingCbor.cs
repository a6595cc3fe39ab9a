using System;
using System.Formats.Cbor;

namespace CommunityGrid.Formats.Readings
{
    /// <summary>
    /// The canonical reading payload through System.Formats.Cbor: a map with unsigned keys 1..9, all required.
    /// <para>
    /// Conformance mode: the protocol specifies RFC 8949 §4.2.1 core deterministic encoding, whose map key order
    /// is bytewise over the keys' encodings. <see cref="CborConformanceMode.Canonical"/> (RFC 7049 canonical)
    /// orders keys length-first instead. For the small unsigned integer keys used here (0..23, each one byte)
    /// the two orders coincide, and all other rules (shortest arguments, definite lengths, no duplicates) are the
    /// same, so this mode yields exactly the protocol's bytes. It would not for mixed-length or negative keys.
    /// </para>
    /// </summary>
    public static class ReadingCbor
    {
        public const CborConformanceMode Mode = CborConformanceMode.Canonical;
        private const int FieldCount = 9;

        /// <exception cref="ArgumentException">the reading breaks a rule of <see cref="ReadingRules"/>.</exception>
        public static byte[] Encode(MeterReading reading)
        {
            ArgumentNullException.ThrowIfNull(reading);
            string? problem = ReadingRules.FindProblem(reading);
            if (problem is not null) throw new ArgumentException(problem, nameof(reading));

            // A reading is under 200 bytes; a CborWriter otherwise starts at 1 KiB. The size never changes the bytes.
            var writer = new CborWriter(Mode, initialCapacity: 256);
            writer.WriteStartMap(FieldCount);
            writer.WriteInt32(ReadingKeys.ChainId);
            writer.WriteTextString(reading.ChainId);
            writer.WriteInt32(ReadingKeys.MeterId);
            writer.WriteTextString(reading.MeterId);
            writer.WriteInt32(ReadingKeys.Sequence);
            writer.WriteInt64(reading.Sequence);
            writer.WriteInt32(ReadingKeys.IntervalStart);
            writer.WriteInt64(reading.IntervalStart);
            writer.WriteInt32(ReadingKeys.IntervalLengthSeconds);
            writer.WriteInt32(reading.IntervalLengthSeconds);
            writer.WriteInt32(ReadingKeys.ImportWh);
            writer.WriteInt64(reading.ImportWh);
            writer.WriteInt32(ReadingKeys.ExportWh);
            writer.WriteInt64(reading.ExportWh);
            writer.WriteInt32(ReadingKeys.PvWh);
            writer.WriteInt64(reading.PvWh);
            writer.WriteInt32(ReadingKeys.FirmwareVersion);
            writer.WriteTextString(reading.FirmwareVersion);
            writer.WriteEndMap();
            return writer.Encode();
        }

        /// <exception cref="ProtocolFormatException">not the canonical encoding of a valid reading; the message says why.</exception>
        public static MeterReading Decode(ReadOnlyMemory<byte> encoded)
        {
            var cbor = new StrictCbor("reading", encoded, Mode);
            MeterReading reading = cbor.Run(0, static (cbor, _) => ReadReading(cbor));
            string? problem = ReadingRules.FindProblem(reading);
            if (problem is not null) throw new ProtocolFormatException("reading: " + problem);
            return reading;
        }

        [ThreadStatic] private static RecentText? recentChainId;
        [ThreadStatic] private static RecentText? recentFirmware;

        private static MeterReading ReadReading(StrictCbor cbor)
        {
            CborReader reader = cbor.Reader;
            cbor.Expect(CborReaderState.StartMap, "a reading must be a map");
            int pairs = reader.ReadStartMap() ?? throw cbor.Problem("indefinite-length map");
            // On the stack, and the community's chain id and firmware version reused from the thread's last reading when
            // their encoded bytes are the same (RecentText): every reading is decoded at intake, in its block and for its proof.
            string? chainId = null, meterId = null, firmwareVersion = null;
            Span<ulong> numbers = stackalloc ulong[FieldCount + 1];
            Span<bool> seen = stackalloc bool[FieldCount + 1];
            for (int i = 0; i < pairs; i++)
            {
                cbor.Expect(CborReaderState.UnsignedInteger, "reading map keys must be unsigned integers 1..9");
                ulong key = reader.ReadUInt64();
                if (key is < ReadingKeys.ChainId or > ReadingKeys.FirmwareVersion)
                {
                    throw cbor.Problem($"unknown key {key}; a reading has exactly the keys 1..9");
                }
                // Canonical mode already rejects duplicate keys; this is belt and braces for the array index.
                if (seen[(int)key]) throw cbor.Problem($"duplicate key {key}");
                seen[(int)key] = true;
                string field = ReadingKeys.FieldName(key);
                if (key is ReadingKeys.ChainId or ReadingKeys.MeterId or ReadingKeys.FirmwareVersion)
                {
                    // The message is made only for a bad reading: these run for every reading the gateway decodes.
                    if (reader.PeekState() != CborReaderState.TextString) cbor.Expect(CborReaderState.TextString, $"reading key {key} ({field}) must be a text string");
                    switch (key)
                    {
                        case ReadingKeys.ChainId: chainId = RecentText.Read(cbor, ref recentChainId); break;
                        case ReadingKeys.FirmwareVersion: firmwareVersion = RecentText.Read(cbor, ref recentFirmware); break;
                        default: meterId = reader.ReadTextString(); break;
                    }
                }
                else
                {
                    if (reader.PeekState() != CborReaderState.UnsignedInteger) cbor.Expect(CborReaderState.UnsignedInteger, $"reading key {key} ({field}) must be an unsigned integer");
                    ulong value = reader.ReadUInt64();
                    if (value > long.MaxValue) throw cbor.Problem($"{field} (key {key}) exceeds 2^63-1");
                    numbers[(int)key] = value;
                }
            }
            reader.ReadEndMap();
            for (int key = ReadingKeys.ChainId; key <= ReadingKeys.FirmwareVersion; key++)
            {
                if (!seen[(int)key])
                {
                    throw cbor.Problem($"required key {key} ({ReadingKeys.FieldName((ulong)key)}) is missing; a reading has all of the keys 1..9");
                }
            }
            ulong intervalLength = numbers[ReadingKeys.IntervalLengthSeconds];
            return new MeterReading(
                chainId!,
                meterId!,
                (long)numbers[ReadingKeys.Sequence],
                (long)numbers[ReadingKeys.IntervalStart],
                intervalLength > int.MaxValue ? -1 : (int)intervalLength,
                (long)numbers[ReadingKeys.ImportWh],
                (long)numbers[ReadingKeys.ExportWh],
                (long)numbers[ReadingKeys.PvWh],
                firmwareVersion!);
        }
    }
}
