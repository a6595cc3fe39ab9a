using System;
using System.Text;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Protocol.Tests.Bytes
{
    /// <summary>
    /// The portable UTF-8 against the BCL's. Characters above U+FFFF (surrogate pairs) matter most: the device's
    /// string indexer gets them wrong, so Utf8 reads text through ToCharArray (the nano check enforces that).
    /// </summary>
    public class Utf8Tests
    {
        [Theory]
        [InlineData("")]
        [InlineData("meter-0001")]
        [InlineData("Café ⚡")]
        [InlineData("\U0001F50C")] // plug, U+1F50C: one surrogate pair, four UTF-8 bytes
        [InlineData("Haus \U0001F3E0 Wi-Fi \U0001F4F6")]
        [InlineData("\U0010FFFF\U00010000a\uD7FF\uE000")]
        public void Encodes_like_the_BCL_and_decodes_back(string text)
        {
            byte[] expected = new UTF8Encoding(false, true).GetBytes(text);
            Assert.Equal(expected, Utf8.Encode(text));
            Assert.Equal(text, Utf8.Decode(expected, 0, expected.Length));
        }

        [Fact]
        public void A_character_above_U_FFFF_is_four_bytes()
        {
            Assert.Equal(new byte[] { 0xF0, 0x9F, 0x94, 0x8C }, Utf8.Encode("\U0001F50C"));
        }

        [Fact]
        public void Unpaired_surrogates_are_refused_with_their_position()
        {
            // Built in code: test-case serialisation would turn a lone surrogate into U+FFFD.
            string high = new string(new[] { 'a', (char)0xD83D });
            string low = new string(new[] { (char)0xDD0C, 'b' });
            string doubledHigh = new string(new[] { (char)0xD83D, (char)0xD83D, (char)0xDD0C });
            Assert.Contains("unpaired high surrogate at index 1", Assert.Throws<ArgumentException>(() => Utf8.Encode(high)).Message);
            Assert.Contains("unpaired low surrogate at index 0", Assert.Throws<ArgumentException>(() => Utf8.Encode(low)).Message);
            Assert.Contains("unpaired high surrogate at index 0", Assert.Throws<ArgumentException>(() => Utf8.Encode(doubledHigh)).Message);
        }
    }
}
