using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>An RFC 6962 hasher (the portable one on a meter), counting every hash into a <see cref="VerificationCost"/>.</summary>
    internal sealed class CountingMerkleHasher : IMerkleHasher
    {
        private readonly VerificationCost cost;
        private readonly IMerkleHasher inner;

        public CountingMerkleHasher(VerificationCost cost, IMerkleHasher inner)
        {
            this.cost = cost;
            this.inner = inner;
        }

        public byte[] LeafHash(byte[] data)
        {
            cost.CountHash();
            return inner.LeafHash(data);
        }

        public byte[] NodeHash(byte[] left, byte[] right)
        {
            cost.CountHash();
            return inner.NodeHash(left, right);
        }
    }
}
