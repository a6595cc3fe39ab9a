using System;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Formats.Readings
{
    /// <summary>A reading as it travels: its canonical CBOR as the payload of a COSE_Sign1 with the reading content type.</summary>
    public static class SignedReadingCodec
    {
        public static byte[] Create(MeterReading reading, Ed25519Signer signer) =>
            CoseSign1Codec.Sign(ReadingCbor.Encode(reading), ContentTypes.Reading, signer);

        /// <summary>Decodes and verifies. A bad signature is reported in the result, malformed input by exception.</summary>
        /// <exception cref="ProtocolFormatException">not a reading COSE_Sign1, or its payload is not a valid reading.</exception>
        public static OpenedReading Open(ReadOnlyMemory<byte> cose) => Open(cose, null);

        /// <param name="verify">How the signature is checked (e.g. through a cache of messages already verified); null: verify now.</param>
        public static OpenedReading Open(ReadOnlyMemory<byte> cose, Func<DecodedCoseSign1, bool>? verify)
        {
            DecodedCoseSign1 message = CoseSign1Codec.Decode(cose, ContentTypes.Reading);
            MeterReading reading = ReadingCbor.Decode(message.Payload);
            return new OpenedReading(reading, message.KeyId, verify?.Invoke(message) ?? message.VerifySignature());
        }
    }

    /// <param name="KeyId">The signer's Ed25519 public key (the COSE kid); check it belongs to the meter.</param>
    /// <param name="SignatureValid">Whether the signature verifies under <paramref name="KeyId"/>; nothing else about the reading is trusted until it does.</param>
    public sealed record OpenedReading(MeterReading Reading, byte[] KeyId, bool SignatureValid);
}
