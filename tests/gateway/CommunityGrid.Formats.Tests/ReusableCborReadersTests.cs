using System;
using System.Formats.Cbor;
using CommunityGrid.Formats.Readings;

namespace CommunityGrid.Formats.Tests
{
    /// <summary>A reader reused across decodes must behave as a new one: nothing of an earlier (failed or nested) decode carries over.</summary>
    public class ReusableCborReadersTests
    {
        [Fact]
        public void A_decode_that_failed_midway_leaves_nothing_for_the_next_one_on_the_thread()
        {
            byte[] good = ReadingCbor.Encode(Readings.Example);
            // Cut inside the map: the reader fails with a frame open and a half-read key.
            byte[] truncated = good[..(good.Length / 2)];
            for (int i = 0; i < 3; i++)
            {
                Assert.Throws<ProtocolFormatException>(() => ReadingCbor.Decode(truncated));
                Assert.Equal(Readings.Example, ReadingCbor.Decode(good));
            }
        }

        [Fact]
        public void A_rented_reader_is_not_handed_out_again_until_it_is_returned_and_is_reset_over_the_new_input()
        {
            byte[] map = [0xa1, 0x01, 0x02];
            byte[] number = [0x18, 0x2a];
            CborReader outer = ReusableCborReaders.Rent(map, CborConformanceMode.Canonical);
            outer.ReadStartMap();
            CborReader nested = ReusableCborReaders.Rent(number, CborConformanceMode.Canonical);
            Assert.NotSame(outer, nested);
            Assert.Equal(42, nested.ReadInt32());
            ReusableCborReaders.Return(nested);
            // The outer reader kept its place while the nested one was read.
            Assert.Equal(1, outer.ReadInt32());
            Assert.Equal(2, outer.ReadInt32());
            outer.ReadEndMap();
            ReusableCborReaders.Return(outer);

            CborReader again = ReusableCborReaders.Rent(number, CborConformanceMode.Canonical);
            Assert.Same(outer, again);
            Assert.Equal(0, again.CurrentDepth);
            Assert.Equal(42, again.ReadInt32());
            Assert.Equal(0, again.BytesRemaining);
            ReusableCborReaders.Return(again);
            // Another mode is another reader: the conformance checks differ.
            CborReader lax = ReusableCborReaders.Rent(number, CborConformanceMode.Lax);
            Assert.NotSame(outer, lax);
            Assert.Equal(CborConformanceMode.Lax, lax.ConformanceMode);
            ReusableCborReaders.Return(lax);
        }
    }
}
