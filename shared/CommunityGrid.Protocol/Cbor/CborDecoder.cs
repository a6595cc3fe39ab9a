using System;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>
    /// Reads one CBOR data item, accepting only RFC 8949 §4.2.1 core deterministic encoding of this protocol's
    /// subset (see <see cref="CborEncoder"/>; hand-written for the same reason). Strict so that every accepted
    /// message has exactly one encoding, which is what makes signatures and hashes over re-encoded data agree.
    /// Rejects with <see cref="CborFormatException"/>: non-shortest arguments, indefinite lengths, floats and
    /// simple values other than false/true/null, tags other than 18, map keys not strictly ascending
    /// (including duplicates), invalid UTF-8, lengths and counts that cannot fit in the remaining input (so
    /// hostile lengths never cause large allocations), nesting beyond the limit, and bytes after the top-level
    /// item (<see cref="ExpectEnd"/>). A pull reader: the caller reads the items it expects in order, and
    /// a wrong type is rejected too. Discard the decoder after any exception.
    /// </summary>
    public sealed class CborDecoder
    {
        /// <summary>Enough for COSE_Sign1 and readings (at most 3 levels) with room to grow.</summary>
        public const int DefaultMaxDepth = 8;

        private readonly byte[] data;
        private readonly CborNesting nesting;
        private int position;

        public CborDecoder(byte[] data) : this(data, DefaultMaxDepth)
        {
        }

        public CborDecoder(byte[] data, int maxDepth)
        {
            ArgumentNullException.ThrowIfNull(data);
            this.data = data;
            nesting = new CborNesting(maxDepth);
        }

        /// <summary>Offset of the next unread byte.</summary>
        public int Position => position;

        /// <summary>The kind of the next item, without consuming it (validates its initial byte).</summary>
        public CborItemKind PeekKind()
        {
            CheckMoreAllowed();
            return KindOf(data[position], position);
        }

        public long ReadInt64()
        {
            int start = BeginItem();
            CborItemKind kind = KindOf(data[start], start);
            if (kind != CborItemKind.UnsignedInteger && kind != CborItemKind.NegativeInteger)
            {
                throw Unexpected("an integer", kind, start);
            }
            ulong argument = ReadArgument();
            if (argument > long.MaxValue)
            {
                throw new CborFormatException("integer is outside the 64-bit signed range this protocol allows", start);
            }
            EndItem();
            return kind == CborItemKind.UnsignedInteger ? (long)argument : -1 - (long)argument;
        }

        /// <summary>Reads an unsigned integer (major type 0); a negative integer is rejected.</summary>
        public long ReadUnsigned()
        {
            if (PeekKind() == CborItemKind.NegativeInteger)
            {
                throw new CborFormatException("expected an unsigned integer, found a negative integer", position);
            }
            return ReadInt64();
        }

        public byte[] ReadByteString()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.ByteString, "a byte string", start);
            int count = ReadLength("byte string", start);
            byte[] value = new byte[count];
            Array.Copy(data, position, value, 0, count);
            position += count;
            EndItem();
            return value;
        }

        public string ReadTextString()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.TextString, "a text string", start);
            int count = ReadLength("text string", start);
            string value;
            try
            {
                value = Utf8.Decode(data, position, count);
            }
            catch (FormatException e)
            {
                throw new CborFormatException("text string is not valid UTF-8: " + e.Message + " within the string content starting at byte " + position, start);
            }
            position += count;
            EndItem();
            return value;
        }

        /// <summary>Reads an array head and returns its element count; read that many items next.</summary>
        public int ReadArrayHeader()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.Array, "an array", start);
            ulong count = ReadArgument();
            // Every item takes at least one byte, so a count beyond the remaining input is a lie.
            if (count > (ulong)(data.Length - position))
            {
                throw new CborFormatException("array claims " + count + " items but only " + (data.Length - position) + " bytes remain", start);
            }
            OpenOrEnd((long)count, false, start);
            return (int)count;
        }

        /// <summary>Reads a map head and returns its number of key/value pairs; read key, value, key, value, … next.</summary>
        public int ReadMapHeader()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.Map, "a map", start);
            ulong pairs = ReadArgument();
            if (pairs > (ulong)(data.Length - position) / 2)
            {
                throw new CborFormatException("map claims " + pairs + " key/value pairs but only " + (data.Length - position) + " bytes remain", start);
            }
            OpenOrEnd(2 * (long)pairs, true, start);
            return (int)pairs;
        }

        /// <summary>Reads a tag (only 18 is accepted); its content is the next item.</summary>
        public long ReadTag()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.Tag, "a tag", start);
            ulong tag = ReadArgument();
            if (tag != CborTags.CoseSign1)
            {
                throw new CborFormatException("tag " + tag + " is not allowed; the only tag in this protocol is 18 (COSE_Sign1)", start);
            }
            if (position >= data.Length)
            {
                throw new CborFormatException("tag 18 has no content item: the input ends", start);
            }
            OpenOrEnd(1, false, start);
            return (long)tag;
        }

        public bool ReadBoolean()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.Boolean, "a boolean", start);
            position++;
            EndItem();
            return data[start] == CborSimple.True;
        }

        public void ReadNull()
        {
            int start = BeginItem();
            ExpectKind(CborItemKind.Null, "null", start);
            position++;
            EndItem();
        }

        /// <summary>Call after reading the top-level item: rejects trailing bytes.</summary>
        /// <exception cref="InvalidOperationException">the caller has not yet read the whole top-level item.</exception>
        public void ExpectEnd()
        {
            if (!nesting.TopLevelComplete)
            {
                throw new InvalidOperationException("the top-level item has not been read completely (" + nesting.Depth + " open array/map/tag level(s))");
            }
            if (position != data.Length)
            {
                throw new CborFormatException((data.Length - position) + " trailing byte(s) after the top-level item", position);
            }
        }

        private int BeginItem()
        {
            CheckMoreAllowed();
            nesting.BeginItem(position);
            return position;
        }

        private void CheckMoreAllowed()
        {
            if (nesting.TopLevelComplete)
            {
                throw new CborFormatException("trailing data: the top-level item has already ended", position);
            }
            if (position >= data.Length)
            {
                throw new CborFormatException("unexpected end of input where a data item should start", position);
            }
        }

        private void EndItem()
        {
            int problemOffset;
            string? problem = nesting.EndItem(data, position, out problemOffset);
            if (problem != null) throw new CborFormatException(problem, problemOffset);
        }

        private void OpenOrEnd(long items, bool map, int start)
        {
            if (items == 0)
            {
                EndItem();
            }
            else if (!nesting.TryOpen(items, map))
            {
                throw new CborFormatException("nesting deeper than " + nesting.MaxDepth + " levels", start);
            }
        }

        private void ExpectKind(CborItemKind wanted, string description, int start)
        {
            CborItemKind kind = KindOf(data[start], start);
            if (kind != wanted) throw Unexpected(description, kind, start);
        }

        private static CborFormatException Unexpected(string wanted, CborItemKind found, int offset)
        {
            return new CborFormatException("expected " + wanted + ", found " + CborItemKinds.Describe(found), offset);
        }

        private int ReadLength(string what, int start)
        {
            ulong count = ReadArgument();
            if (count > (ulong)(data.Length - position))
            {
                throw new CborFormatException(what + " length " + count + " exceeds the " + (data.Length - position) + " bytes remaining", start);
            }
            return (int)count;
        }

        /// <summary>Consumes the initial byte and argument of the item at <see cref="position"/>, enforcing the shortest form.</summary>
        private ulong ReadArgument()
        {
            int start = position;
            int info = data[position] & 0x1F;
            position++;
            if (info < 24) return (ulong)info;
            int size = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : 8;
            if (size > data.Length - position)
            {
                throw new CborFormatException("truncated: the " + size + "-byte argument runs past the end of input", start);
            }
            ulong value = 0;
            for (int i = 0; i < size; i++)
            {
                value = (value << 8) | data[position + i];
            }
            position += size;
            ulong smallestForSize = size == 1 ? 24UL : size == 2 ? 0x100UL : size == 4 ? 0x10000UL : 0x100000000UL;
            if (value < smallestForSize)
            {
                throw new CborFormatException("non-shortest encoding: value " + value + " is written with a " + size + "-byte argument; deterministic encoding requires the shortest form", start);
            }
            return value;
        }

        /// <summary>Classifies an initial byte, rejecting everything outside the subset (additional information 28–31 included).</summary>
        private static CborItemKind KindOf(byte initial, int offset)
        {
            int major = initial >> 5;
            int info = initial & 0x1F;
            if (major == CborMajorType.SimpleOrFloat)
            {
                if (initial == CborSimple.False || initial == CborSimple.True) return CborItemKind.Boolean;
                if (initial == CborSimple.Null) return CborItemKind.Null;
                if (info >= 25 && info <= 27) throw new CborFormatException("floating-point numbers are not allowed", offset);
                if (info == 31) throw new CborFormatException("unexpected break code 0xff: indefinite-length items are not allowed", offset);
                if (info >= 28) throw new CborFormatException("malformed: reserved additional information " + info + " in initial byte 0x" + initial.ToString("x2"), offset);
                if (info == 23) throw new CborFormatException("simple value undefined is not allowed; only false, true and null are", offset);
                throw new CborFormatException("simple value (initial byte 0x" + initial.ToString("x2") + ") is not allowed; only false, true and null are", offset);
            }
            if (info == 31)
            {
                if (major >= CborMajorType.ByteString && major <= CborMajorType.Map)
                {
                    throw new CborFormatException("indefinite-length encoding of " + CborItemKinds.Describe(KindOfMajor(major)) + " is not allowed; deterministic encoding requires definite lengths", offset);
                }
                throw new CborFormatException("malformed: additional information 31 is invalid for major type " + major, offset);
            }
            if (info >= 28)
            {
                throw new CborFormatException("malformed: reserved additional information " + info + " in initial byte 0x" + initial.ToString("x2"), offset);
            }
            return KindOfMajor(major);
        }

        private static CborItemKind KindOfMajor(int major)
        {
            switch (major)
            {
                case CborMajorType.UnsignedInteger: return CborItemKind.UnsignedInteger;
                case CborMajorType.NegativeInteger: return CborItemKind.NegativeInteger;
                case CborMajorType.ByteString: return CborItemKind.ByteString;
                case CborMajorType.TextString: return CborItemKind.TextString;
                case CborMajorType.Array: return CborItemKind.Array;
                case CborMajorType.Map: return CborItemKind.Map;
                default: return CborItemKind.Tag;
            }
        }
    }
}
