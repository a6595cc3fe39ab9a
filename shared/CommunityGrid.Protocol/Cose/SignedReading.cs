using System;
using CommunityGrid.Protocol.Crypto;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Protocol.Cose
{
    /// <summary>A reading as it travels: its canonical CBOR as the payload of a COSE_Sign1 with the reading content type.</summary>
    public static class SignedReading
    {
        /// <exception cref="ArgumentException">the seed is not 32 bytes.</exception>
        public static byte[] Create(MeterReading reading, byte[] seed)
        {
            ArgumentNullException.ThrowIfNull(reading);
            return CoseSign1.Sign(MeterReadingCodec.Encode(reading), ContentTypes.Reading, seed);
        }

        /// <summary>Signs with a key derived once; what a meter that signs every interval uses.</summary>
        public static byte[] Create(MeterReading reading, Ed25519SigningKey key)
        {
            ArgumentNullException.ThrowIfNull(reading);
            return CoseSign1.Sign(MeterReadingCodec.Encode(reading), ContentTypes.Reading, key);
        }

        /// <summary>Decodes and verifies. A bad signature is reported in the result; malformed input throws.</summary>
        /// <exception cref="FormatException">a <see cref="Cbor.CborFormatException"/>, <see cref="CoseFormatException"/> or <see cref="ReadingFormatException"/>.</exception>
        public static OpenedReading Open(byte[] cose)
        {
            CoseSign1Message message = CoseSign1.Decode(cose, ContentTypes.Reading);
            MeterReading reading = MeterReadingCodec.Decode(message.Payload);
            return new OpenedReading(reading, message.KeyId, message.VerifySignature());
        }
    }

    /// <summary>The result of <see cref="SignedReading.Open"/>.</summary>
    public sealed class OpenedReading
    {
        public OpenedReading(MeterReading reading, byte[] keyId, bool signatureValid)
        {
            Reading = reading;
            KeyId = keyId;
            SignatureValid = signatureValid;
        }

        public MeterReading Reading { get; }

        /// <summary>The signer's Ed25519 public key (the COSE kid); check that it belongs to the reading's meter.</summary>
        public byte[] KeyId { get; }

        /// <summary>Whether the signature verifies under <see cref="KeyId"/>; trust nothing in the reading unless it does.</summary>
        public bool SignatureValid { get; }
    }
}
