using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Meter.LightClient
{
    /// <summary>
    /// The Ed25519 verification the light client uses for commit signatures (docs/protocol.md §6: pure Ed25519 with
    /// libsodium's acceptance rules). A meter uses <see cref="PortableSignatureCheck"/>; a host that verifies many
    /// meters' proofs (the simulator) may pass libsodium, which must give the same verdict on every input.
    /// </summary>
    public interface ISignatureCheck
    {
        bool Verify(byte[] publicKey, byte[] message, byte[] signature);
    }

    /// <summary>The portable Ed25519 of the protocol library: what runs on the meters.</summary>
    public sealed class PortableSignatureCheck : ISignatureCheck
    {
        public static readonly PortableSignatureCheck Instance = new PortableSignatureCheck();

        private PortableSignatureCheck()
        {
        }

        public bool Verify(byte[] publicKey, byte[] message, byte[] signature) => Ed25519.Verify(publicKey, message, signature);
    }
}
