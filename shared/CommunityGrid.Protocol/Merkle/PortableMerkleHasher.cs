using System;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Protocol.Merkle
{
    /// <summary>The RFC 6962 hashes with the hand-written SHA-256, the only one the meter has.</summary>
    public sealed class PortableMerkleHasher : IMerkleHasher
    {
        public static readonly PortableMerkleHasher Instance = new PortableMerkleHasher();

        private static readonly byte[] LeafPrefix = new byte[] { 0x00 };
        private static readonly byte[] NodePrefix = new byte[] { 0x01 };

        private PortableMerkleHasher()
        {
        }

        public byte[] LeafHash(byte[] data)
        {
            ArgumentNullException.ThrowIfNull(data);
            Sha256 sha = new Sha256();
            sha.Append(LeafPrefix);
            sha.Append(data);
            return sha.Finish();
        }

        public byte[] NodeHash(byte[] left, byte[] right)
        {
            ArgumentNullException.ThrowIfNull(left);
            ArgumentNullException.ThrowIfNull(right);
            Sha256 sha = new Sha256();
            sha.Append(NodePrefix);
            sha.Append(left);
            sha.Append(right);
            return sha.Finish();
        }
    }
}
