using System;
using System.Formats.Cbor;

namespace CommunityGrid.Formats
{
    /// <summary>
    /// One idle <see cref="CborReader"/> per thread and conformance mode, reset over the next input instead of a new reader
    /// per decode. A reader's nesting stack and the reader itself were about a quarter of the bytes the gateway allocated
    /// while ingesting (an allocation profile of 2,000 meters, docs/operations.md "Memory"): every reading, state entry and
    /// record is decoded with its own reader, several times on its way to a block. A rented reader is taken out of the slot,
    /// so a decode that starts another decode (nested) gets a new one; nothing is shared between threads.
    /// </summary>
    public static class ReusableCborReaders
    {
        [ThreadStatic] private static CborReader? idleCanonical;
        [ThreadStatic] private static CborReader? idleLax;

        /// <summary>A reader over <paramref name="data"/>, as <c>new CborReader(data, mode)</c>; hand it back with <see cref="Return"/> once done.</summary>
        public static CborReader Rent(ReadOnlyMemory<byte> data, CborConformanceMode mode)
        {
            CborReader? reader = mode switch
            {
                CborConformanceMode.Canonical => idleCanonical,
                CborConformanceMode.Lax => idleLax,
                _ => null,
            };
            if (reader is null) return new CborReader(data, mode);
            if (mode == CborConformanceMode.Canonical) idleCanonical = null;
            else idleLax = null;
            reader.Reset(data);
            return reader;
        }

        /// <summary>Keeps <paramref name="reader"/> for the thread's next decode; it must not be used afterwards.</summary>
        public static void Return(CborReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            if (reader.AllowMultipleRootLevelValues) return;
            // Let go of the input, which may be large (a block) and belongs to the caller.
            reader.Reset(ReadOnlyMemory<byte>.Empty);
            if (reader.ConformanceMode == CborConformanceMode.Canonical) idleCanonical = reader;
            else if (reader.ConformanceMode == CborConformanceMode.Lax) idleLax = reader;
        }
    }
}
