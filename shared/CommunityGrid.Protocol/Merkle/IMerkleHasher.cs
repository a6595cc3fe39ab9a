namespace CommunityGrid.Protocol.Merkle
{
    /// <summary>
    /// The two hashes an RFC 6962 tree is made of: SHA-256(0x00 || data) for a leaf and
    /// SHA-256(0x01 || left || right) for a node. Every implementation must return exactly these bytes; the seam
    /// exists so a gateway can use its platform's SHA-256 while the meter keeps the portable one, not to change the tree.
    /// </summary>
    public interface IMerkleHasher
    {
        byte[] LeafHash(byte[] data);

        byte[] NodeHash(byte[] left, byte[] right);
    }
}
