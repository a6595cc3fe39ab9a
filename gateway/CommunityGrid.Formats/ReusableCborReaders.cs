using System;
using System.Formats.Cbor;

namespace CommunityGrid.Formats
{
    /// <summary>
    /// One idle <see cref="CborReader"/> per thread and conformance mode, reset over the next input instead of a new reader
    /// per decode. A reader's nesting stack and the reader itself were about a quarter of the bytes the gateway allocated
    /// while ingesting (an allocation profile of 2,000 meters, docs/operations.md "Memory"): every reading, state entry and
    /// record is decoded with its own reader, several times on its way to a block. A rented reader is taken out of the
    /// thread's idle ones, so a decode that starts another decode (nested: a COSE message and its protected header) gets
    /// another; the thread keeps up to <see cref="IdlePerMode"/> per mode, enough for the deepest nesting of the formats
    /// (a second allocation profile, 2026-12-05, still found the nested header decode making a reader per reading with
    /// one kept). Nothing is shared between threads.
    /// </summary>
    public static class ReusableCborReaders
    {
        private const int IdlePerMode = 4;
        [ThreadStatic] private static CborReader?[]? idleCanonical;
        [ThreadStatic] private static CborReader?[]? idleLax;
        [ThreadStatic] private static int idleCanonicalCount;
        [ThreadStatic] private static int idleLaxCount;

        /// <summary>A reader over <paramref name="data"/>, as <c>new CborReader(data, mode)</c>; hand it back with <see cref="Return"/> once done.</summary>
        public static CborReader Rent(ReadOnlyMemory<byte> data, CborConformanceMode mode)
        {
            CborReader? reader = mode switch
            {
                CborConformanceMode.Canonical => Take(idleCanonical, ref idleCanonicalCount),
                CborConformanceMode.Lax => Take(idleLax, ref idleLaxCount),
                _ => null,
            };
            if (reader is null) return new CborReader(data, mode);
            reader.Reset(data);
            return reader;
        }

        private static CborReader? Take(CborReader?[]? idle, ref int count)
        {
            if (idle is null || count == 0) return null;
            count--;
            CborReader? reader = idle[count];
            idle[count] = null;
            return reader;
        }

        private static void Keep(ref CborReader?[]? idle, ref int count, CborReader reader)
        {
            idle ??= new CborReader?[IdlePerMode];
            // A reader handed back twice must not be kept twice: two later decodes would share it.
            for (int i = 0; i < count; i++) if (ReferenceEquals(idle[i], reader)) return;
            if (count < idle.Length) idle[count++] = reader;
        }

        /// <summary>Keeps <paramref name="reader"/> for the thread's next decode; it must not be used afterwards.</summary>
        public static void Return(CborReader reader)
        {
            ArgumentNullException.ThrowIfNull(reader);
            if (reader.AllowMultipleRootLevelValues) return;
            // Let go of the input, which may be large (a block) and belongs to the caller.
            reader.Reset(ReadOnlyMemory<byte>.Empty);
            if (reader.ConformanceMode == CborConformanceMode.Canonical) Keep(ref idleCanonical, ref idleCanonicalCount, reader);
            else if (reader.ConformanceMode == CborConformanceMode.Lax) Keep(ref idleLax, ref idleLaxCount, reader);
        }
    }
}
