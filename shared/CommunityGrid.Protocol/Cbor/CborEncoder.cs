using System;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>
    /// Writes one CBOR data item in RFC 8949 §4.2.1 core deterministic encoding: shortest-form arguments,
    /// definite lengths only, map keys strictly ascending in bytewise order of their encodings.
    /// Hand-written because no CBOR library runs on the nanoFramework device; it covers only the subset this
    /// protocol uses (integers in the 64-bit signed range, byte and text strings, arrays, maps, tag 18,
    /// false/true/null). Misuse (keys out of order, wrong item counts, a second top-level item) throws
    /// <see cref="InvalidOperationException"/> instead of producing bytes another implementation would reject;
    /// discard the encoder after any exception.
    /// </summary>
    public sealed class CborEncoder
    {
        private const int MaxDepth = 16;

        private readonly CborNesting nesting = new CborNesting(MaxDepth);
        private byte[] buffer;
        private int length;

        public CborEncoder() : this(64)
        {
        }

        public CborEncoder(int initialCapacity)
        {
            buffer = new byte[initialCapacity < 16 ? 16 : initialCapacity];
        }

        public void WriteInt64(long value)
        {
            int start = BeginItem();
            if (value >= 0)
            {
                WriteHead(CborMajorType.UnsignedInteger, (ulong)value);
            }
            else
            {
                // -1 - value cannot overflow for any negative long: it lies in [0, long.MaxValue].
                WriteHead(CborMajorType.NegativeInteger, (ulong)(-1 - value));
            }
            EndItem(start);
        }

        public void WriteByteString(byte[] value)
        {
            ArgumentNullException.ThrowIfNull(value);
            WriteByteString(value, 0, value.Length);
        }

        public void WriteByteString(byte[] value, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(value);
            if (offset < 0 || count < 0 || offset > value.Length || count > value.Length - offset)
            {
                throw new ArgumentOutOfRangeException(nameof(count), "range [" + offset + ", +" + count + ") lies outside an array of " + value.Length + " bytes");
            }
            int start = BeginItem();
            WriteHead(CborMajorType.ByteString, (ulong)count);
            WriteRaw(value, offset, count);
            EndItem(start);
        }

        /// <exception cref="ArgumentException">the string has an unpaired surrogate (it has no UTF-8 form).</exception>
        public void WriteTextString(string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            byte[] utf8 = Utf8.Encode(value);
            int start = BeginItem();
            WriteHead(CborMajorType.TextString, (ulong)utf8.Length);
            WriteRaw(utf8, 0, utf8.Length);
            EndItem(start);
        }

        /// <summary>Starts an array; the next <paramref name="count"/> items written are its elements.</summary>
        public void WriteArrayHeader(int count)
        {
            WriteContainerHeader(CborMajorType.Array, count, false);
        }

        /// <summary>Starts a map; the next 2 × <paramref name="pairCount"/> items are key, value, key, value, … with keys in ascending order.</summary>
        public void WriteMapHeader(int pairCount)
        {
            WriteContainerHeader(CborMajorType.Map, pairCount, true);
        }

        /// <summary>Writes a tag; the next item written is its content. Only <see cref="CborTags.CoseSign1"/> is in the subset.</summary>
        public void WriteTag(long tag)
        {
            if (tag != CborTags.CoseSign1)
            {
                throw new ArgumentException("tag " + tag + " is outside this protocol's CBOR subset; only tag 18 (COSE_Sign1) is allowed", nameof(tag));
            }
            int start = BeginItem();
            WriteHead(CborMajorType.Tag, (ulong)tag);
            Open(1, false, start);
        }

        public void WriteBoolean(bool value)
        {
            int start = BeginItem();
            EnsureCapacity(1);
            buffer[length++] = value ? CborSimple.True : CborSimple.False;
            EndItem(start);
        }

        public void WriteNull()
        {
            int start = BeginItem();
            EnsureCapacity(1);
            buffer[length++] = CborSimple.Null;
            EndItem(start);
        }

        /// <summary>The encoded item. Throws when the top-level item is incomplete (containers still expect items).</summary>
        public byte[] ToArray()
        {
            if (!nesting.TopLevelComplete)
            {
                throw new InvalidOperationException(length == 0
                    ? "nothing has been written"
                    : "the top-level item is incomplete: " + nesting.Depth + " array/map/tag level(s) still expect items");
            }
            byte[] result = new byte[length];
            Array.Copy(buffer, 0, result, 0, length);
            return result;
        }

        private void WriteContainerHeader(int major, int count, bool map)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "an item count cannot be negative");
            int start = BeginItem();
            WriteHead(major, (ulong)count);
            if (count == 0)
            {
                EndItem(start);
            }
            else
            {
                Open(map ? 2L * count : count, map, start);
            }
        }

        private void Open(long items, bool map, int start)
        {
            if (!nesting.TryOpen(items, map))
            {
                length = start;
                throw new InvalidOperationException("nesting deeper than " + MaxDepth + " levels is outside this protocol's CBOR subset");
            }
        }

        private int BeginItem()
        {
            if (nesting.TopLevelComplete)
            {
                throw new InvalidOperationException("the top-level item is complete; a deterministic encoding holds exactly one item");
            }
            nesting.BeginItem(length);
            return length;
        }

        private void EndItem(int start)
        {
            int problemOffset;
            string? problem = nesting.EndItem(buffer, length, out problemOffset);
            if (problem != null)
            {
                throw new InvalidOperationException("cannot encode deterministically: " + problem + " (key written at byte offset " + problemOffset + ", item began at " + start + ")");
            }
        }

        private void WriteHead(int major, ulong argument)
        {
            int initial = major << 5;
            EnsureCapacity(9);
            if (argument < 24)
            {
                buffer[length++] = (byte)(initial | (int)argument);
            }
            else if (argument <= 0xFF)
            {
                buffer[length++] = (byte)(initial | 24);
                buffer[length++] = (byte)argument;
            }
            else if (argument <= 0xFFFF)
            {
                buffer[length++] = (byte)(initial | 25);
                WriteBigEndian(argument, 2);
            }
            else if (argument <= 0xFFFFFFFF)
            {
                buffer[length++] = (byte)(initial | 26);
                WriteBigEndian(argument, 4);
            }
            else
            {
                buffer[length++] = (byte)(initial | 27);
                WriteBigEndian(argument, 8);
            }
        }

        private void WriteBigEndian(ulong value, int byteCount)
        {
            for (int i = byteCount - 1; i >= 0; i--)
            {
                buffer[length++] = (byte)(value >> (8 * i));
            }
        }

        private void WriteRaw(byte[] source, int offset, int count)
        {
            EnsureCapacity(count);
            Array.Copy(source, offset, buffer, length, count);
            length += count;
        }

        private void EnsureCapacity(int extra)
        {
            if (length + extra <= buffer.Length) return;
            int capacity = buffer.Length * 2;
            if (capacity < length + extra) capacity = length + extra;
            byte[] larger = new byte[capacity];
            Array.Copy(buffer, 0, larger, 0, length);
            buffer = larger;
        }
    }
}
