using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>The portable RFC 6962 hasher, counting every hash into a <see cref="VerificationCost"/>.</summary>
    internal sealed class CountingMerkleHasher : IMerkleHasher
    {
        private readonly VerificationCost cost;

        public CountingMerkleHasher(VerificationCost cost)
        {
            this.cost = cost;
        }

        public byte[] LeafHash(byte[] data)
        {
            cost.CountHash();
            return PortableMerkleHasher.Instance.LeafHash(data);
        }

        public byte[] NodeHash(byte[] left, byte[] right)
        {
            cost.CountHash();
            return PortableMerkleHasher.Instance.NodeHash(left, right);
        }
    }
}
