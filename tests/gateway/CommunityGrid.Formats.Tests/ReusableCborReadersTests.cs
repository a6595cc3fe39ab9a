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
    
        [Fact]
        public void Nested_decodes_each_get_their_own_reader_and_each_is_kept_for_the_next_nesting()
        {
            byte[][] inputs = [[0x01], [0x02], [0x03], [0x04], [0x05]];
            var rented = new CborReader[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) rented[i] = ReusableCborReaders.Rent(inputs[i], CborConformanceMode.Canonical);
            Assert.Equal(inputs.Length, new System.Collections.Generic.HashSet<CborReader>(rented, System.Collections.Generic.ReferenceEqualityComparer.Instance).Count);
            for (int i = inputs.Length - 1; i >= 0; i--)
            {
                Assert.Equal(i + 1, rented[i].ReadInt32());
                ReusableCborReaders.Return(rented[i]);
            }
            // The same nesting again reuses the kept readers, each over its own new input.
            var again = new CborReader[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) again[i] = ReusableCborReaders.Rent(new byte[] { (byte)(0x0a + i) }, CborConformanceMode.Canonical);
            Assert.Equal(inputs.Length, new System.Collections.Generic.HashSet<CborReader>(again, System.Collections.Generic.ReferenceEqualityComparer.Instance).Count);
            Assert.Contains(again, r => Array.IndexOf(rented, r) >= 0);
            for (int i = 0; i < inputs.Length; i++) Assert.Equal(10 + i, again[i].ReadInt32());
            for (int i = inputs.Length - 1; i >= 0; i--) ReusableCborReaders.Return(again[i]);
        }

        [Fact]
        public void A_reader_handed_back_twice_is_handed_out_once()
        {
            CborReader reader = ReusableCborReaders.Rent(new byte[] { 0x01 }, CborConformanceMode.Lax);
            ReusableCborReaders.Return(reader);
            ReusableCborReaders.Return(reader);
            CborReader first = ReusableCborReaders.Rent(new byte[] { 0x02 }, CborConformanceMode.Lax);
            CborReader second = ReusableCborReaders.Rent(new byte[] { 0x03 }, CborConformanceMode.Lax);
            Assert.NotSame(first, second);
            Assert.Equal(2, first.ReadInt32());
            Assert.Equal(3, second.ReadInt32());
            ReusableCborReaders.Return(second);
            ReusableCborReaders.Return(first);
        }
    }
}
