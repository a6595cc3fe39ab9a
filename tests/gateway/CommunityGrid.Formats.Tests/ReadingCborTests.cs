using System;
using System.Formats.Cbor;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Formats.Tests
{
    /// <summary>The gateway codec rejects what the protocol forbids, though System.Formats.Cbor does the parsing.</summary>
    public class ReadingCborTests
    {
        [Fact]
        public void Readings_decoded_one_after_another_each_keep_their_own_chain_id_and_firmware_version()
        {
            // The chain id and firmware version are reused from the thread's last reading when their bytes are the same:
            // readings that differ from it (by a letter, by length, or not at all) must each decode to their own values.
            MeterReading[] readings =
            [
                Readings.Example,
                Readings.Example with { ChainId = Readings.Example.ChainId + "x", FirmwareVersion = "fw-2" },
                Readings.Example with { ChainId = Readings.Example.ChainId[..^1] + "Z", Sequence = 99 },
                Readings.Example with { FirmwareVersion = Readings.Example.FirmwareVersion + "-longer" },
                Readings.Example,
                Readings.Example with { ChainId = "c", FirmwareVersion = "f" },
            ];
            for (int round = 0; round < 2; round++)
            {
                foreach (MeterReading reading in readings)
                {
                    MeterReading decoded = ReadingCbor.Decode(ReadingCbor.Encode(reading));
                    Assert.Equal(reading, decoded);
                    Assert.Equal(reading.ChainId, decoded.ChainId);
                    Assert.Equal(reading.FirmwareVersion, decoded.FirmwareVersion);
                }
            }
            // A broken reading after a good one still fails with its own reason.
            byte[] good = ReadingCbor.Encode(Readings.Example);
            Assert.Equal(Readings.Example, ReadingCbor.Decode(good));
            Assert.Throws<ProtocolFormatException>(() => ReadingCbor.Decode(good[..(good.Length - 3)]));
            Assert.Equal(Readings.Example, ReadingCbor.Decode(good));
        }

        private static readonly string ExampleHex = Hex.Encode(ReadingCbor.Encode(Readings.Example));

        private static void Rejects(string hex, string expectedWords)
        {
            var e = Assert.Throws<ProtocolFormatException>(() => ReadingCbor.Decode(Hex.Decode(hex)));
            Assert.Contains(expectedWords, e.Message);
        }

        /// <summary>The example's hex with the encoding of one field (key byte included) replaced.</summary>
        private static string Replace(string oldHex, string newHex)
        {
            Assert.Contains(oldHex, ExampleHex);
            return ExampleHex.Replace(oldHex, newHex, StringComparison.Ordinal);
        }

        [Fact]
        public void Example_round_trips() => Assert.Equal(Readings.Example, ReadingCbor.Decode(Hex.Decode(ExampleHex)));

        [Fact]
        public void Rejects_a_non_shortest_integer() => Rejects(Replace("03182a", "0319002a"), "not deterministic");

        [Fact]
        public void Rejects_a_non_shortest_string_length() => Rejects(Replace("0965312e302e30", "097805312e302e30"), "not deterministic");

        [Fact]
        public void Rejects_an_indefinite_length_map() => Rejects("bf" + ExampleHex[2..] + "ff", "indefinite-length");

        [Fact]
        public void Rejects_an_indefinite_length_text_string() => Rejects(Replace("0965312e302e30", "097f65312e302e30ff"), "must be a text string, found StartIndefiniteLengthTextString");

        [Fact]
        public void Rejects_keys_out_of_order()
        {
            // Swap fields 6 and 7 (both 5-byte values).
            Rejects(Replace("061a0012d687071a00015bb4", "071a00015bb4061a0012d687"), "not deterministic");
        }

        [Fact]
        public void Rejects_a_duplicate_key() => Rejects("a2" + "0161" + "61" + "0161" + "62", "not deterministic");

        [Fact]
        public void Rejects_a_float() => Rejects(Replace("03182a", "03f95140"), "must be an unsigned integer");

        [Fact]
        public void Rejects_a_tagged_value() => Rejects(Replace("03182a", "03c1182a"), "must be an unsigned integer");

        [Fact]
        public void Rejects_invalid_utf8() => Rejects(Replace("0965312e302e30", "0965312ec0af30"), "not deterministic");

        [Fact]
        public void Rejects_trailing_bytes() => Rejects(ExampleHex + "00", "trailing");

        [Fact]
        public void Rejects_a_length_beyond_the_input() => Rejects(Replace("0965312e302e30", "097a7fffffff312e302e30"), "exceeds available buffer");

        [Fact]
        public void Rejects_an_unknown_key() => Rejects("aa" + ExampleHex[2..] + "0a00", "unknown key 10");

        [Fact]
        public void Rejects_a_missing_key() => Rejects("a8" + ExampleHex[2..].Replace("0965312e302e30", "", StringComparison.Ordinal), "required key 9 (FirmwareVersion) is missing");

        [Fact]
        public void Rejects_a_negative_register() => Rejects(Replace("061a0012d687", "0620"), "must be an unsigned integer");

        [Fact]
        public void Rejects_a_register_above_2_pow_63_minus_1() => Rejects(Replace("061a0012d687", "061b8000000000000000"), "exceeds 2^63-1");

        [Fact]
        public void Rejects_an_unaligned_interval_start() => Rejects(Replace("041a6955b900", "041a6955b901"), "multiple of IntervalLengthSeconds (900)");

        [Fact]
        public void Rejects_sequence_zero() => Rejects(Replace("03182a", "0300"), "Sequence (key 3) must be at least 1");

        [Fact]
        public void Rejects_a_non_map() => Rejects("80", "must be a map");

        [Fact]
        public void Rejects_empty_input() => Assert.Throws<ProtocolFormatException>(() => ReadingCbor.Decode(ReadOnlyMemory<byte>.Empty));

        [Fact]
        public void Encode_refuses_an_invalid_reading_naming_the_field()
        {
            var e = Assert.Throws<ArgumentException>(() => ReadingCbor.Encode(Readings.Example with { ChainId = new string('c', 65) }));
            Assert.Contains("ChainId (key 1) must be 1..64 UTF-8 bytes, got 65", e.Message);
            Assert.Throws<ArgumentException>(() => ReadingCbor.Encode(Readings.Example with { IntervalLengthSeconds = 7 }));
            Assert.Throws<ArgumentException>(() => ReadingCbor.Encode(Readings.Example with { PvWh = -1 }));
            Assert.Throws<ArgumentException>(() => ReadingCbor.Encode(Readings.Example with { FirmwareVersion = "x\uD800" }));
        }

        [Fact]
        public void Canonical_mode_orders_like_RFC_8949_for_the_protocols_keys_but_not_in_general()
        {
            // Why the comment in ReadingCbor matters: for keys 24 and -1 the two orders disagree.
            var writer = new CborWriter(CborConformanceMode.Canonical);
            writer.WriteStartMap(2);
            writer.WriteInt32(24); writer.WriteNull();
            writer.WriteInt32(-1); writer.WriteNull();
            writer.WriteEndMap();
            Assert.Equal("a220f61818f6", Hex.Encode(writer.Encode()));
        }
    }
}
