using System;

namespace CommunityGrid.Protocol.Cbor
{
    /// <summary>
    /// Tracks open arrays, maps and tags for <see cref="CborEncoder"/> and <see cref="CborDecoder"/>:
    /// how many items each still expects, whether the top-level item is complete, and the map key order
    /// rule of RFC 8949 §4.2.1 (keys strictly ascending in bytewise order of their encodings, which also
    /// excludes duplicates). Keys are compared where they lie in the caller's buffer, so nothing is copied.
    /// Fixed-size arrays rather than a stack class: the device has no generic collections and the depth is small.
    /// </summary>
    internal sealed class CborNesting
    {
        private readonly long[] expected;
        private readonly long[] done;
        private readonly bool[] isMap;
        private readonly int[] keyStart;
        private readonly int[] previousKeyStart;
        private readonly int[] previousKeyEnd;
        private int depth;

        public CborNesting(int maxDepth)
        {
            if (maxDepth < 1) throw new ArgumentOutOfRangeException(nameof(maxDepth), "the nesting limit must be at least 1");
            MaxDepth = maxDepth;
            expected = new long[maxDepth];
            done = new long[maxDepth];
            isMap = new bool[maxDepth];
            keyStart = new int[maxDepth];
            previousKeyStart = new int[maxDepth];
            previousKeyEnd = new int[maxDepth];
        }

        public int MaxDepth { get; }

        public int Depth => depth;

        public bool TopLevelComplete { get; private set; }

        /// <summary>Call at the offset where an item's head starts, before anything else about the item.</summary>
        public void BeginItem(int offset)
        {
            if (depth > 0)
            {
                int top = depth - 1;
                if (isMap[top] && (done[top] & 1) == 0) keyStart[top] = offset;
            }
        }

        /// <summary>Opens a container that expects <paramref name="items"/> (&gt; 0) more items; false when the nesting limit is reached.</summary>
        public bool TryOpen(long items, bool map)
        {
            if (depth == MaxDepth) return false;
            expected[depth] = items;
            done[depth] = 0;
            isMap[depth] = map;
            depth++;
            return true;
        }

        /// <summary>
        /// Call when an item has ended at <paramref name="endOffset"/> in <paramref name="buffer"/>. Closes every
        /// container this completes. Returns null, or the problem when the item was a map key out of order, with
        /// <paramref name="problemOffset"/> set to where that key starts.
        /// </summary>
        public string? EndItem(byte[] buffer, int endOffset, out int problemOffset)
        {
            problemOffset = 0;
            while (depth > 0)
            {
                int top = depth - 1;
                if (isMap[top] && (done[top] & 1) == 0)
                {
                    if (done[top] > 0)
                    {
                        int order = CompareBytes(buffer, previousKeyStart[top], previousKeyEnd[top], keyStart[top], endOffset);
                        if (order >= 0)
                        {
                            problemOffset = keyStart[top];
                            return order == 0
                                ? "duplicate map key"
                                : "map key is not in ascending bytewise order of encodings (RFC 8949 §4.2.1); it must sort after the previous key";
                        }
                    }
                    previousKeyStart[top] = keyStart[top];
                    previousKeyEnd[top] = endOffset;
                }
                done[top]++;
                if (done[top] < expected[top]) return null;
                depth--;
            }
            TopLevelComplete = true;
            return null;
        }

        private static int CompareBytes(byte[] buffer, int aStart, int aEnd, int bStart, int bEnd)
        {
            int aLength = aEnd - aStart;
            int bLength = bEnd - bStart;
            int common = aLength < bLength ? aLength : bLength;
            for (int i = 0; i < common; i++)
            {
                int difference = buffer[aStart + i] - buffer[bStart + i];
                if (difference != 0) return difference;
            }
            return aLength - bLength;
        }
    }
}
