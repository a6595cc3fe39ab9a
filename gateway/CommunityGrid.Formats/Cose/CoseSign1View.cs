using System;

namespace CommunityGrid.Formats.Cose
{
    /// <summary>
    /// A COSE_Sign1 message of this protocol's shape as <see cref="CoseSign1Codec.DecodeView"/> found it: its parts are
    /// slices of the message it was decoded from (valid while that is), not copies. Algorithm EdDSA, as always.
    /// </summary>
    /// <param name="ProtectedHeader">The protected header bucket's bytes exactly as received (they are signed).</param>
    /// <param name="KeyId">The signer's 32-byte Ed25519 public key.</param>
    public readonly record struct CoseSign1View(
        ReadOnlyMemory<byte> ProtectedHeader,
        string ContentType,
        ReadOnlyMemory<byte> KeyId,
        ReadOnlyMemory<byte> Payload,
        ReadOnlyMemory<byte> Signature)
    {
        /// <summary>As <see cref="DecodedCoseSign1.VerifySignature"/>.</summary>
        public bool VerifySignature() => CoseSign1Codec.VerifySigStructure(KeyId.Span, ProtectedHeader.Span, Payload.Span, Signature.Span);
    }
}
