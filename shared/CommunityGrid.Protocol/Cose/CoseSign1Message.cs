using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Protocol.Cose
{
    /// <summary>
    /// A structurally valid COSE_Sign1 as decoded by <see cref="CoseSign1.Decode"/>. The signature is not checked
    /// until <see cref="VerifySignature"/>; until then nothing in it is trusted.
    /// </summary>
    public sealed class CoseSign1Message
    {
        public CoseSign1Message(byte[] protectedHeader, long algorithm, string contentType, byte[] keyId, byte[] payload, byte[] signature)
        {
            ProtectedHeader = protectedHeader;
            Algorithm = algorithm;
            ContentType = contentType;
            KeyId = keyId;
            Payload = payload;
            Signature = signature;
        }

        /// <summary>The protected header bucket's bytes as received; the signature covers exactly these.</summary>
        public byte[] ProtectedHeader { get; }

        /// <summary>Always <see cref="CoseSign1.AlgorithmEdDsa"/>: decoding rejects every other algorithm.</summary>
        public long Algorithm { get; }

        public string ContentType { get; }

        /// <summary>The kid: the signer's 32-byte Ed25519 public key. Whether it belongs to the claimed meter is the caller's check.</summary>
        public byte[] KeyId { get; }

        public byte[] Payload { get; }

        public byte[] Signature { get; }

        public bool VerifySignature()
        {
            return Ed25519.Verify(KeyId, CoseSign1.SigStructure(ProtectedHeader, Payload), Signature);
        }
    }
}
