using System;
using System.Formats.Cbor;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Protocol.Tests.Cbor
{
    public class CborEncoderTests
    {
        public static TheoryData<long, string> IntegerEncodings => new TheoryData<long, string>
        {
            { 0, "00" },
            { 23, "17" },
            { 24, "1818" },
            { 255, "18ff" },
            { 256, "190100" },
            { 65535, "19ffff" },
            { 65536, "1a00010000" },
            { 4294967295, "1affffffff" },
            { 4294967296, "1b0000000100000000" },
            { long.MaxValue, "1b7fffffffffffffff" },
            { -1, "20" },
            { -24, "37" },
            { -25, "3818" },
            { -256, "38ff" },
            { -257, "390100" },
            { long.MinValue, "3b7fffffffffffffff" },
        };

        [Theory]
        [MemberData(nameof(IntegerEncodings))]
        public void Integers_use_the_shortest_argument(long value, string expectedHex)
        {
            var encoder = new CborEncoder();
            encoder.WriteInt64(value);
            Assert.Equal(expectedHex, Hex.Encode(encoder.ToArray()));
            Assert.Equal(expectedHex, Hex.Encode(Reference(w => w.WriteInt64(value))));
        }

        [Fact]
        public void Strings_arrays_maps_tags_and_simple_values_match_System_Formats_Cbor()
        {
            byte[] blob = new byte[300];
            new Random(7).NextBytes(blob);
            var encoder = new CborEncoder(1);
            encoder.WriteTag(18);
            encoder.WriteArrayHeader(6);
            encoder.WriteByteString(blob);
            encoder.WriteTextString("Grüße, 世界 \U0001F600");
            encoder.WriteMapHeader(3);
            encoder.WriteInt64(1);
            encoder.WriteBoolean(true);
            encoder.WriteInt64(23);
            encoder.WriteBoolean(false);
            encoder.WriteInt64(-1);
            encoder.WriteNull();
            encoder.WriteArrayHeader(0);
            encoder.WriteMapHeader(0);
            encoder.WriteByteString(new byte[0]);

            byte[] expected = Reference(w =>
            {
                w.WriteTag((CborTag)18);
                w.WriteStartArray(6);
                w.WriteByteString(blob);
                w.WriteTextString("Grüße, 世界 \U0001F600");
                w.WriteStartMap(3);
                w.WriteInt64(1);
                w.WriteBoolean(true);
                w.WriteInt64(23);
                w.WriteBoolean(false);
                w.WriteInt64(-1);
                w.WriteNull();
                w.WriteEndMap();
                w.WriteStartArray(0);
                w.WriteEndArray();
                w.WriteStartMap(0);
                w.WriteEndMap();
                w.WriteByteString(Array.Empty<byte>());
                w.WriteEndArray();
            }, CborConformanceMode.Canonical);
            Assert.Equal(Hex.Encode(expected), Hex.Encode(encoder.ToArray()));
        }

        [Fact]
        public void Map_keys_must_ascend_bytewise()
        {
            var encoder = new CborEncoder();
            encoder.WriteMapHeader(2);
            encoder.WriteInt64(2);
            encoder.WriteNull();
            var e = Assert.Throws<InvalidOperationException>(() => encoder.WriteInt64(1));
            Assert.Contains("ascending", e.Message);
        }

        [Fact]
        public void Bytewise_order_differs_from_length_first_order_and_the_encoder_follows_RFC_8949()
        {
            // 24 encodes as 18 18, -1 as 20: bytewise 24 sorts first although its encoding is longer.
            var encoder = new CborEncoder();
            encoder.WriteMapHeader(2);
            encoder.WriteInt64(24);
            encoder.WriteNull();
            encoder.WriteInt64(-1);
            encoder.WriteNull();
            Assert.Equal("a21818f620f6", Hex.Encode(encoder.ToArray()));
        }

        [Fact]
        public void Duplicate_map_keys_are_refused()
        {
            var encoder = new CborEncoder();
            encoder.WriteMapHeader(2);
            encoder.WriteTextString("a");
            encoder.WriteNull();
            var e = Assert.Throws<InvalidOperationException>(() => encoder.WriteTextString("a"));
            Assert.Contains("duplicate", e.Message);
        }

        [Fact]
        public void Exactly_one_complete_top_level_item()
        {
            var incomplete = new CborEncoder();
            incomplete.WriteArrayHeader(2);
            incomplete.WriteInt64(1);
            Assert.Throws<InvalidOperationException>(() => incomplete.ToArray());

            var complete = new CborEncoder();
            complete.WriteInt64(1);
            Assert.Throws<InvalidOperationException>(() => complete.WriteInt64(2));

            Assert.Throws<InvalidOperationException>(() => new CborEncoder().ToArray());
        }

        [Fact]
        public void Only_tag_18_can_be_written()
        {
            Assert.Throws<ArgumentException>(() => new CborEncoder().WriteTag(1));
        }

        [Fact]
        public void Text_with_an_unpaired_surrogate_is_refused()
        {
            Assert.Throws<ArgumentException>(() => new CborEncoder().WriteTextString("a\uD800b"));
        }

        [Fact]
        public void Randomized_nested_items_round_trip_and_match_System_Formats_Cbor()
        {
            var random = new Random(20240601);
            for (int round = 0; round < 2000; round++)
            {
                var encoder = new CborEncoder(1);
                var writer = new CborWriter(CborConformanceMode.Canonical);
                WriteRandom(random, encoder, writer, 0);
                byte[] ours = encoder.ToArray();
                Assert.Equal(Hex.Encode(writer.Encode()), Hex.Encode(ours));

                // The strict decoder accepts everything the encoder produces (it is canonical by construction).
                var decoder = new CborDecoder(ours, 16);
                SkipItem(decoder);
                decoder.ExpectEnd();
            }
        }

        private static void WriteRandom(Random random, CborEncoder encoder, CborWriter writer, int depth)
        {
            switch (random.Next(depth < 3 ? 8 : 5))
            {
                case 0:
                    long value = RandomInt64(random);
                    encoder.WriteInt64(value);
                    writer.WriteInt64(value);
                    break;
                case 1:
                    byte[] bytes = new byte[random.Next(0, random.Next(8) == 0 ? 70000 : 30)];
                    random.NextBytes(bytes);
                    encoder.WriteByteString(bytes);
                    writer.WriteByteString(bytes);
                    break;
                case 2:
                    string text = RandomText(random, random.Next(0, 40));
                    encoder.WriteTextString(text);
                    writer.WriteTextString(text);
                    break;
                case 3:
                    bool flag = random.Next(2) == 0;
                    encoder.WriteBoolean(flag);
                    writer.WriteBoolean(flag);
                    break;
                case 4:
                    encoder.WriteNull();
                    writer.WriteNull();
                    break;
                case 5:
                    int count = random.Next(0, 8);
                    encoder.WriteArrayHeader(count);
                    writer.WriteStartArray(count);
                    for (int i = 0; i < count; i++) WriteRandom(random, encoder, writer, depth + 1);
                    writer.WriteEndArray();
                    break;
                case 6:
                    // Small ascending unsigned keys: there bytewise and length-first orders agree.
                    int pairs = random.Next(0, 8);
                    encoder.WriteMapHeader(pairs);
                    writer.WriteStartMap(pairs);
                    long key = random.Next(0, 3);
                    for (int i = 0; i < pairs; i++)
                    {
                        key += 1 + random.Next(0, 40);
                        encoder.WriteInt64(key);
                        writer.WriteInt64(key);
                        WriteRandom(random, encoder, writer, depth + 1);
                    }
                    writer.WriteEndMap();
                    break;
                default:
                    encoder.WriteTag(18);
                    writer.WriteTag((CborTag)18);
                    WriteRandom(random, encoder, writer, depth + 1);
                    break;
            }
        }

        internal static void SkipItem(CborDecoder decoder)
        {
            switch (decoder.PeekKind())
            {
                case CborItemKind.UnsignedInteger:
                case CborItemKind.NegativeInteger: decoder.ReadInt64(); break;
                case CborItemKind.ByteString: decoder.ReadByteString(); break;
                case CborItemKind.TextString: decoder.ReadTextString(); break;
                case CborItemKind.Boolean: decoder.ReadBoolean(); break;
                case CborItemKind.Null: decoder.ReadNull(); break;
                case CborItemKind.Tag: decoder.ReadTag(); SkipItem(decoder); break;
                case CborItemKind.Array:
                    int count = decoder.ReadArrayHeader();
                    for (int i = 0; i < count; i++) SkipItem(decoder);
                    break;
                case CborItemKind.Map:
                    int pairs = decoder.ReadMapHeader();
                    for (int i = 0; i < 2 * pairs; i++) SkipItem(decoder);
                    break;
            }
        }

        internal static long RandomInt64(Random random)
        {
            // Spread over all argument sizes rather than clustering near 2^63.
            int bits = random.Next(0, 64);
            long magnitude = bits == 0 ? 0 : random.NextInt64() >> (63 - bits);
            return random.Next(2) == 0 ? magnitude : -1 - magnitude;
        }

        internal static string RandomText(Random random, int length)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                int pick = random.Next(4);
                chars[i] = pick == 0 ? (char)random.Next(0x20, 0x7F)
                    : pick == 1 ? (char)random.Next(0x80, 0x800)
                    : pick == 2 ? (char)random.Next(0x800, 0xD800)
                    : (char)random.Next(0xE000, 0xFFFE);
            }
            return new string(chars);
        }

        private static byte[] Reference(Action<CborWriter> write, CborConformanceMode mode = CborConformanceMode.Canonical)
        {
            var writer = new CborWriter(mode);
            write(writer);
            return writer.Encode();
        }
    }
}
