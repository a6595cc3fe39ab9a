using System;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>An RFC 6962 audit path (protocol.md §5): the leaf's index, the tree size and the sibling hashes, deepest first.</summary>
    public sealed class InclusionProof
    {
        public InclusionProof(int index, int treeSize, byte[][] path)
        {
            ArgumentNullException.ThrowIfNull(path);
            Index = index;
            TreeSize = treeSize;
            Path = path;
        }

        public int Index { get; }
        public int TreeSize { get; }
        public byte[][] Path { get; }
    }
}
