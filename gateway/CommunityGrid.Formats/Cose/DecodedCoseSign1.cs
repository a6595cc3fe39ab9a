using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Formats.Cose
{
    /// <summary>
    /// A structurally valid COSE_Sign1 message (docs/protocol.md, "COSE_Sign1"). Decoding does not check the
    /// signature; <see cref="VerifySignature"/> does, against <see cref="KeyId"/> taken as the Ed25519 public key.
    /// </summary>
    /// <param name="ProtectedHeader">The protected header bucket's bytes exactly as received (they are signed).</param>
    public sealed record DecodedCoseSign1(
        byte[] ProtectedHeader,
        long Algorithm,
        string ContentType,
        byte[] KeyId,
        byte[] Payload,
        byte[] Signature)
    {
        public bool VerifySignature() =>
            CoseSign1Codec.VerifySigStructure(KeyId, ProtectedHeader, Payload, Signature);
    }
}
