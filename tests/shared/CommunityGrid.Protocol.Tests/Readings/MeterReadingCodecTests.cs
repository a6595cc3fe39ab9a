using System;
using System.Formats.Cbor;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Protocol.Tests.Readings
{
    public class MeterReadingCodecTests
    {
        internal static MeterReading Example() =>
            new MeterReading("communitygrid-test", "meter-0001", 42, 1767225600, 900, 1234567, 89012, 456789, "1.0.0");

        [Fact]
        public void Thousands_of_random_readings_encode_exactly_as_System_Formats_Cbor_canonical_and_round_trip()
        {
            var random = new Random(8949);
            for (int i = 0; i < 5000; i++)
            {
                MeterReading reading = RandomReadings.Next(random);
                byte[] ours = MeterReadingCodec.Encode(reading);
                Assert.Equal(Hex.Encode(RandomReadings.EncodeWithSystemFormatsCbor(reading)), Hex.Encode(ours));
                AssertSame(reading, MeterReadingCodec.Decode(ours));
            }
        }

        [Fact]
        public void The_example_reading_has_these_bytes()
        {
            Assert.Equal(ExampleHex, Hex.Encode(MeterReadingCodec.Encode(Example())));
        }

        /// <summary>Worked out by hand from RFC 8949 (and repeated in docs/protocol.md).</summary>
        internal const string ExampleHex =
            "a9" + "01" + "72" + "636f6d6d756e697479677269642d74657374" + "02" + "6a" + "6d657465722d30303031"
            + "03" + "182a" + "04" + "1a6955b900" + "05" + "190384" + "06" + "1a0012d687" + "07" + "1a00015bb4"
            + "08" + "1a0006f855" + "09" + "65" + "312e302e30";

        [Fact]
        public void Rejects_a_missing_key()
        {
            byte[] encoded = Encode(w => WriteFields(w, skipKey: 7));
            var e = Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Equal("ExportWh", e.Field);
            Assert.Contains("required key 7 (ExportWh) is missing", e.Message);
        }

        [Fact]
        public void Rejects_an_unknown_key()
        {
            byte[] encoded = Encode(w => WriteFields(w, extraKey: 10));
            var e = Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Contains("unknown key 10", e.Message);
        }

        [Fact]
        public void Rejects_a_text_key()
        {
            var writer = new CborWriter(CborConformanceMode.Canonical);
            writer.WriteStartMap(1);
            writer.WriteTextString("chain");
            writer.WriteTextString("x");
            writer.WriteEndMap();
            var e = Assert.Throws<CborFormatException>(() => MeterReadingCodec.Decode(writer.Encode()));
            Assert.Contains("keys must be unsigned integers", e.Message);
        }

        [Fact]
        public void Rejects_a_value_of_the_wrong_type()
        {
            byte[] encoded = Encode(w => WriteFields(w, sequenceAsText: true));
            var e = Assert.Throws<CborFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Contains("key 3 (Sequence) must be an unsigned integer, found a text string", e.Message);
        }

        [Fact]
        public void Rejects_a_negative_register()
        {
            byte[] encoded = Encode(w => WriteFields(w, importWh: -5));
            var e = Assert.Throws<CborFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Contains("key 6 (ImportWh) must be an unsigned integer, found a negative integer", e.Message);
        }

        [Fact]
        public void Rejects_an_unaligned_interval_start()
        {
            byte[] encoded = Encode(w => WriteFields(w, intervalStart: 1767225601));
            var e = Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Equal("IntervalStart", e.Field);
            Assert.Contains("multiple of IntervalLengthSeconds (900)", e.Message);
        }

        [Fact]
        public void Rejects_an_interval_length_that_does_not_divide_a_day()
        {
            byte[] encoded = Encode(w => WriteFields(w, intervalLength: 7000, intervalStart: 0));
            var e = Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Equal("IntervalLengthSeconds", e.Field);
        }

        [Fact]
        public void Rejects_sequence_zero()
        {
            byte[] encoded = Encode(w => WriteFields(w, sequence: 0));
            Assert.Equal("Sequence", Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded)).Field);
        }

        [Fact]
        public void Rejects_a_chain_id_longer_than_64_bytes()
        {
            byte[] encoded = Encode(w => WriteFields(w, chainId: new string('c', 65)));
            var e = Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded));
            Assert.Equal("ChainId", e.Field);
            Assert.Contains("1..64 UTF-8 bytes, got 65", e.Message);
        }

        [Fact]
        public void Rejects_an_empty_firmware_version()
        {
            byte[] encoded = Encode(w => WriteFields(w, firmware: ""));
            Assert.Equal("FirmwareVersion", Assert.Throws<ReadingFormatException>(() => MeterReadingCodec.Decode(encoded)).Field);
        }

        [Fact]
        public void Rejects_keys_out_of_order()
        {
            // Keys 2 then 1: System.Formats.Cbor in lax mode writes them as given.
            var writer = new CborWriter(CborConformanceMode.Lax);
            writer.WriteStartMap(2);
            writer.WriteInt32(2); writer.WriteTextString("m");
            writer.WriteInt32(1); writer.WriteTextString("c");
            writer.WriteEndMap();
            var e = Assert.Throws<CborFormatException>(() => MeterReadingCodec.Decode(writer.Encode()));
            Assert.Contains("ascending", e.Message);
        }

        [Fact]
        public void Rejects_trailing_bytes()
        {
            byte[] encoded = MeterReadingCodec.Encode(Example());
            byte[] longer = ByteArrays.Concat(encoded, new byte[] { 0 });
            Assert.Contains("trailing", Assert.Throws<CborFormatException>(() => MeterReadingCodec.Decode(longer)).Message);
        }

        [Fact]
        public void Rejects_something_other_than_a_map()
        {
            Assert.Contains("must be a map", Assert.Throws<CborFormatException>(() => MeterReadingCodec.Decode(Hex.Decode("80"))).Message);
        }

        [Fact]
        public void Every_truncation_of_a_valid_reading_is_rejected_as_a_format_error()
        {
            byte[] encoded = MeterReadingCodec.Encode(Example());
            for (int n = 0; n < encoded.Length; n++)
            {
                Assert.ThrowsAny<FormatException>(() => MeterReadingCodec.Decode(ByteArrays.Slice(encoded, 0, n)));
            }
        }

        [Theory]
        [InlineData(null, "ChainId")]
        [InlineData("", "ChainId")]
        public void Constructor_names_the_bad_chain_id(string? chainId, string field)
        {
            var e = Assert.Throws<ArgumentException>(() => new MeterReading(chainId!, "m", 1, 0, 900, 0, 0, 0, "1"));
            Assert.Equal(field, e.ParamName);
        }

        [Fact]
        public void Constructor_rejects_each_out_of_range_field_by_name()
        {
            Assert.Equal("MeterId", Assert.Throws<ArgumentException>(() => new MeterReading("c", new string('m', 65), 1, 0, 900, 0, 0, 0, "1")).ParamName);
            Assert.Equal("Sequence", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 0, 0, 900, 0, 0, 0, "1")).ParamName);
            Assert.Equal("IntervalStart", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, -900, 900, 0, 0, 0, "1")).ParamName);
            Assert.Equal("IntervalLengthSeconds", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, 0, 59, 0, 0, 0, "1")).ParamName);
            Assert.Equal("IntervalLengthSeconds", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, 0, 172800, 0, 0, 0, "1")).ParamName);
            Assert.Equal("ImportWh", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, 0, 900, -1, 0, 0, "1")).ParamName);
            Assert.Equal("ExportWh", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, 0, 900, 0, -1, 0, "1")).ParamName);
            Assert.Equal("PvWh", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, 0, 900, 0, 0, -1, "1")).ParamName);
            Assert.Equal("FirmwareVersion", Assert.Throws<ArgumentException>(() => new MeterReading("c", "m", 1, 0, 900, 0, 0, 0, new string('v', 33))).ParamName);
            Assert.Equal("ChainId", Assert.Throws<ArgumentException>(() => new MeterReading("a\uDC00", "m", 1, 0, 900, 0, 0, 0, "1")).ParamName);
        }

        [Fact]
        public void Limits_are_inclusive()
        {
            var reading = new MeterReading(new string('c', 64), new string('m', 64), long.MaxValue, 0, 86400, long.MaxValue, long.MaxValue, long.MaxValue, new string('v', 32));
            AssertSame(reading, MeterReadingCodec.Decode(MeterReadingCodec.Encode(reading)));
            var minute = new MeterReading("c", "m", 1, 60, 60, 0, 0, 0, "1");
            AssertSame(minute, MeterReadingCodec.Decode(MeterReadingCodec.Encode(minute)));
        }

        internal static void AssertSame(MeterReading expected, MeterReading actual)
        {
            Assert.Equal(expected.ToString(), actual.ToString());
            Assert.Equal(expected.ChainId, actual.ChainId);
            Assert.Equal(expected.MeterId, actual.MeterId);
            Assert.Equal(expected.FirmwareVersion, actual.FirmwareVersion);
        }

        private static byte[] Encode(Action<CborWriter> write)
        {
            // Converting indefinite lengths lets WriteFields leave the pair count to the writer.
            var writer = new CborWriter(CborConformanceMode.Canonical, convertIndefiniteLengthEncodings: true);
            write(writer);
            return writer.Encode();
        }

        private static void WriteFields(
            CborWriter writer,
            int skipKey = 0,
            int extraKey = 0,
            bool sequenceAsText = false,
            long sequence = 42,
            long importWh = 1234567,
            long intervalStart = 1767225600,
            int intervalLength = 900,
            string chainId = "communitygrid-test",
            string firmware = "1.0.0")
        {
            writer.WriteStartMap(null);
            void Field(int key, Action value)
            {
                if (key == skipKey) return;
                writer.WriteInt32(key);
                value();
            }
            Field(1, () => writer.WriteTextString(chainId));
            Field(2, () => writer.WriteTextString("meter-0001"));
            Field(3, () => { if (sequenceAsText) writer.WriteTextString("42"); else writer.WriteInt64(sequence); });
            Field(4, () => writer.WriteInt64(intervalStart));
            Field(5, () => writer.WriteInt32(intervalLength));
            Field(6, () => writer.WriteInt64(importWh));
            Field(7, () => writer.WriteInt64(89012));
            Field(8, () => writer.WriteInt64(456789));
            Field(9, () => writer.WriteTextString(firmware));
            if (extraKey != 0) Field(extraKey, () => writer.WriteInt32(0));
            writer.WriteEndMap();
        }
    }
}
