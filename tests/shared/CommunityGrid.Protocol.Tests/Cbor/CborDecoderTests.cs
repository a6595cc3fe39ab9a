using System;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;

namespace CommunityGrid.Protocol.Tests.Cbor
{
    /// <summary>One test per kind of input the strict decoder must reject, each checking the message names the problem and the offset.</summary>
    public class CborDecoderTests
    {
        private static CborFormatException Rejects(string hex, Action<CborDecoder> read, string expectedWords, int expectedOffset)
        {
            var decoder = new CborDecoder(Hex.Decode(hex));
            var e = Assert.Throws<CborFormatException>(() => read(decoder));
            Assert.Contains(expectedWords, e.Message);
            Assert.Equal(expectedOffset, e.Offset);
            Assert.Contains("offset " + expectedOffset, e.Message);
            return e;
        }

        private static void ReadAll(CborDecoder decoder)
        {
            CborEncoderTests.SkipItem(decoder);
            decoder.ExpectEnd();
        }

        [Fact]
        public void Accepts_and_reads_the_subset()
        {
            var decoder = new CborDecoder(Hex.Decode("d2844101a10442a1b2f6f5"));
            Assert.Equal(CborItemKind.Tag, decoder.PeekKind());
            Assert.Equal(18, decoder.ReadTag());
            Assert.Equal(4, decoder.ReadArrayHeader());
            Assert.Equal("01", Hex.Encode(decoder.ReadByteString()));
            Assert.Equal(1, decoder.ReadMapHeader());
            Assert.Equal(4, decoder.ReadInt64());
            Assert.Equal("a1b2", Hex.Encode(decoder.ReadByteString()));
            decoder.ReadNull();
            Assert.True(decoder.ReadBoolean());
            decoder.ExpectEnd();
        }

        [Fact]
        public void Reads_negative_and_extreme_integers()
        {
            Assert.Equal(long.MinValue, new CborDecoder(Hex.Decode("3b7fffffffffffffff")).ReadInt64());
            Assert.Equal(long.MaxValue, new CborDecoder(Hex.Decode("1b7fffffffffffffff")).ReadInt64());
            Assert.Equal(-25, new CborDecoder(Hex.Decode("3818")).ReadInt64());
        }

        [Fact]
        public void Rejects_a_non_shortest_integer() =>
            Rejects("1817", d => d.ReadInt64(), "non-shortest", 0);

        [Fact]
        public void Rejects_a_non_shortest_eight_byte_integer() =>
            Rejects("1b00000000ffffffff", d => d.ReadInt64(), "non-shortest", 0);

        [Fact]
        public void Rejects_a_non_shortest_length() =>
            Rejects("82005900016162", d => ReadAll(d), "non-shortest", 2);

        [Fact]
        public void Rejects_an_indefinite_length_byte_string() =>
            Rejects("5f4101ff", d => d.ReadByteString(), "indefinite-length", 0);

        [Fact]
        public void Rejects_an_indefinite_length_array() =>
            Rejects("9f00ff", d => d.ReadArrayHeader(), "indefinite-length", 0);

        [Fact]
        public void Rejects_an_indefinite_length_map() =>
            Rejects("bf0000ff", d => ReadAll(d), "indefinite-length", 0);

        [Fact]
        public void Rejects_a_stray_break_code() =>
            Rejects("8100ff", d => { d.ReadArrayHeader(); d.ReadInt64(); d.ExpectEnd(); }, "trailing", 2);

        [Fact]
        public void Rejects_a_half_precision_float() =>
            Rejects("f93c00", d => ReadAll(d), "floating-point", 0);

        [Fact]
        public void Rejects_a_double_precision_float() =>
            Rejects("8201fb3ff0000000000000", d => ReadAll(d), "floating-point", 2);

        [Fact]
        public void Rejects_undefined() =>
            Rejects("f7", d => ReadAll(d), "undefined", 0);

        [Fact]
        public void Rejects_other_simple_values() =>
            Rejects("f820", d => ReadAll(d), "simple value", 0);

        [Fact]
        public void Rejects_reserved_additional_information() =>
            Rejects("1c", d => d.ReadInt64(), "reserved additional information 28", 0);

        [Fact]
        public void Rejects_an_unknown_tag() =>
            Rejects("c11a514b67b0", d => d.ReadTag(), "tag 1 is not allowed", 0);

        [Fact]
        public void Rejects_map_keys_out_of_order() =>
            Rejects("a2020001f6", d => ReadAll(d), "ascending", 3);

        [Fact]
        public void Rejects_length_first_order_where_bytewise_order_differs() =>
            // {-1: null, 24: null}: RFC 7049 canonical (length-first) order, but 0x20 > 0x18 bytewise.
            Rejects("a220f61818f6", d => ReadAll(d), "ascending", 3);

        [Fact]
        public void Rejects_duplicate_map_keys() =>
            Rejects("a2616100616101", d => ReadAll(d), "duplicate map key", 4);

        [Fact]
        public void Rejects_invalid_utf8() =>
            Rejects("62c328", d => d.ReadTextString(), "not valid UTF-8", 0);

        [Fact]
        public void Rejects_overlong_utf8() =>
            Rejects("8162c080", d => ReadAll(d), "overlong", 1);

        [Fact]
        public void Rejects_utf8_encoded_surrogates() =>
            Rejects("63eda080", d => d.ReadTextString(), "surrogate", 0);

        [Fact]
        public void Rejects_a_byte_string_longer_than_the_input_without_allocating_it() =>
            Rejects("5b7fffffffffffffff00", d => d.ReadByteString(), "exceeds the 1 bytes remaining", 0);

        [Fact]
        public void Rejects_a_text_string_longer_than_the_input() =>
            Rejects("8164616263", d => ReadAll(d), "exceeds the 3 bytes remaining", 1);

        [Fact]
        public void Rejects_an_array_count_beyond_the_input() =>
            Rejects("9affffffff00", d => d.ReadArrayHeader(), "4294967295 items", 0);

        [Fact]
        public void Rejects_a_map_count_beyond_the_input() =>
            Rejects("a30102", d => d.ReadMapHeader(), "3 key/value pairs", 0);

        [Fact]
        public void Rejects_a_truncated_argument() =>
            Rejects("1901", d => d.ReadInt64(), "truncated", 0);

        [Fact]
        public void Rejects_input_that_ends_inside_an_array() =>
            Rejects("82820000", d => ReadAll(d), "unexpected end of input", 4);

        [Fact]
        public void Rejects_nesting_beyond_the_limit() =>
            Rejects("81818181818181818100", d => ReadAll(d), "nesting deeper than 8", 8);

        [Fact]
        public void Accepts_nesting_up_to_the_limit()
        {
            ReadAll(new CborDecoder(Hex.Decode("818181818181818100")));
        }

        [Fact]
        public void Rejects_trailing_bytes_after_the_top_level_item() =>
            Rejects("0000", d => { d.ReadInt64(); d.ExpectEnd(); }, "1 trailing byte(s)", 1);

        [Fact]
        public void Rejects_reading_past_the_top_level_item() =>
            Rejects("0000", d => { d.ReadInt64(); d.ReadInt64(); }, "top-level item has already ended", 1);

        [Fact]
        public void Rejects_an_integer_outside_the_signed_64_bit_range() =>
            Rejects("3b8000000000000000", d => d.ReadInt64(), "64-bit signed range", 0);

        [Fact]
        public void Rejects_an_item_of_the_wrong_type() =>
            Rejects("6161", d => d.ReadInt64(), "expected an integer, found a text string", 0);

        [Fact]
        public void Rejects_a_negative_integer_where_unsigned_is_required() =>
            Rejects("20", d => d.ReadUnsigned(), "found a negative integer", 0);

        [Fact]
        public void Rejects_empty_input() =>
            Rejects("", d => d.PeekKind(), "unexpected end of input", 0);

        [Fact]
        public void ExpectEnd_before_the_item_is_read_is_a_caller_error()
        {
            var decoder = new CborDecoder(Hex.Decode("8100"));
            decoder.ReadArrayHeader();
            Assert.Throws<InvalidOperationException>(() => decoder.ExpectEnd());
        }
    }
}
