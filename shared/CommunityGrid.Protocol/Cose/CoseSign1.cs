using System;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Protocol.Cose
{
    /// <summary>
    /// COSE_Sign1 (RFC 9052 §4.2, §4.4) with EdDSA over Ed25519, in the one shape this protocol uses:
    /// tag 18 [ bstr .cbor {1: -8, 3: content type}, {4: kid}, payload bstr, signature bstr ], with kid the
    /// signer's 32-byte public key. Any COSE library can verify these messages; decoding accepts only this
    /// shape in deterministic CBOR, so a message has one byte form whichever side produced it.
    /// </summary>
    public static class CoseSign1
    {
        public const long AlgorithmEdDsa = -8;
        public const int HeaderAlgorithm = 1;
        public const int HeaderContentType = 3;
        public const int HeaderKeyId = 4;
        private const string SignatureContext = "Signature1";

        /// <exception cref="ArgumentException">the seed is not 32 bytes, or the content type has no UTF-8 form.</exception>
        public static byte[] Sign(byte[] payload, string contentType, byte[] seed)
        {
            ArgumentNullException.ThrowIfNull(seed);
            return Sign(payload, contentType, Ed25519SigningKey.FromSeed(seed));
        }

        /// <summary>Signs with a key derived once (<see cref="Ed25519SigningKey"/>): the kid and the signature need no second derivation.</summary>
        /// <exception cref="ArgumentException">the content type has no UTF-8 form.</exception>
        public static byte[] Sign(byte[] payload, string contentType, Ed25519SigningKey key)
        {
            ArgumentNullException.ThrowIfNull(payload);
            ArgumentNullException.ThrowIfNull(contentType);
            ArgumentNullException.ThrowIfNull(key);
            byte[] protectedHeader = ProtectedHeader(contentType);
            byte[] keyId = key.PublicKey;
            byte[] signature = key.Sign(SigStructure(protectedHeader, payload));

            CborEncoder encoder = new CborEncoder(payload.Length + protectedHeader.Length + 128);
            encoder.WriteTag(CborTags.CoseSign1);
            encoder.WriteArrayHeader(4);
            encoder.WriteByteString(protectedHeader);
            encoder.WriteMapHeader(1);
            encoder.WriteInt64(HeaderKeyId);
            encoder.WriteByteString(keyId);
            encoder.WriteByteString(payload);
            encoder.WriteByteString(signature);
            return encoder.ToArray();
        }

        /// <summary>The protected header bucket's contents: the deterministic encoding of {1: -8, 3: contentType}.</summary>
        public static byte[] ProtectedHeader(string contentType)
        {
            CborEncoder encoder = new CborEncoder();
            encoder.WriteMapHeader(2);
            encoder.WriteInt64(HeaderAlgorithm);
            encoder.WriteInt64(AlgorithmEdDsa);
            encoder.WriteInt64(HeaderContentType);
            encoder.WriteTextString(contentType);
            return encoder.ToArray();
        }

        /// <summary>RFC 9052 §4.4 Sig_structure ["Signature1", protected, external_aad h'', payload]: the bytes that are signed.</summary>
        public static byte[] SigStructure(byte[] protectedHeader, byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(protectedHeader);
            ArgumentNullException.ThrowIfNull(payload);
            CborEncoder encoder = new CborEncoder(protectedHeader.Length + payload.Length + 32);
            encoder.WriteArrayHeader(4);
            encoder.WriteTextString(SignatureContext);
            encoder.WriteByteString(protectedHeader);
            encoder.WriteByteString(new byte[0]);
            encoder.WriteByteString(payload);
            return encoder.ToArray();
        }

        /// <summary>Parses and checks the shape; does not verify the signature (see <see cref="CoseSign1Message.VerifySignature"/> and <see cref="Verify"/>).</summary>
        /// <exception cref="CborFormatException">not deterministic CBOR, or a CBOR type other than the layout's.</exception>
        /// <exception cref="CoseFormatException">untagged, alg not EdDSA, another content type, kid not 32 bytes or signature not 64.</exception>
        public static CoseSign1Message Decode(byte[] message, string expectedContentType)
        {
            ArgumentNullException.ThrowIfNull(message);
            ArgumentNullException.ThrowIfNull(expectedContentType);
            CborDecoder decoder = new CborDecoder(message);
            if (decoder.PeekKind() != CborItemKind.Tag)
            {
                throw new CoseFormatException("the message must start with tag 18 (COSE_Sign1), found " + CborItemKinds.Describe(decoder.PeekKind()) + "; untagged messages are rejected");
            }
            decoder.ReadTag();
            Expect(decoder, CborItemKind.Array, "the COSE_Sign1 structure");
            if (decoder.ReadArrayHeader() != 4) throw new CoseFormatException("the structure must be an array of 4 items");

            Expect(decoder, CborItemKind.ByteString, "the protected header");
            byte[] protectedHeader = decoder.ReadByteString();
            string contentType = ReadProtectedHeader(protectedHeader, decoder.Position - protectedHeader.Length);
            if (contentType != expectedContentType)
            {
                throw new CoseFormatException("content type \"" + contentType + "\" is not the expected \"" + expectedContentType + "\"");
            }

            Expect(decoder, CborItemKind.Map, "the unprotected header");
            if (decoder.ReadMapHeader() != 1) throw new CoseFormatException("the unprotected header must hold exactly {4: kid}");
            if (decoder.PeekKind() != CborItemKind.UnsignedInteger || decoder.ReadInt64() != HeaderKeyId)
            {
                throw new CoseFormatException("the unprotected header must hold exactly {4: kid}");
            }
            Expect(decoder, CborItemKind.ByteString, "kid");
            byte[] keyId = decoder.ReadByteString();
            if (keyId.Length != Ed25519.PublicKeySize)
            {
                throw new CoseFormatException("kid must be the signer's 32-byte Ed25519 public key, got " + keyId.Length + " bytes");
            }

            Expect(decoder, CborItemKind.ByteString, "the payload (detached payloads are not supported)");
            byte[] payload = decoder.ReadByteString();
            Expect(decoder, CborItemKind.ByteString, "the signature");
            byte[] signature = decoder.ReadByteString();
            if (signature.Length != Ed25519.SignatureSize)
            {
                throw new CoseFormatException("an Ed25519 signature is 64 bytes, got " + signature.Length);
            }
            decoder.ExpectEnd();
            return new CoseSign1Message(protectedHeader, AlgorithmEdDsa, contentType, keyId, payload, signature);
        }

        /// <summary><see cref="Decode"/>, then the signature check.</summary>
        /// <exception cref="CoseSignatureException">the signature does not verify under the message's kid.</exception>
        public static CoseSign1Message Verify(byte[] message, string expectedContentType)
        {
            CoseSign1Message decoded = Decode(message, expectedContentType);
            if (!decoded.VerifySignature())
            {
                throw new CoseSignatureException("the Ed25519 signature does not verify under the message's kid");
            }
            return decoded;
        }

        private static string ReadProtectedHeader(byte[] encoded, int offsetInMessage)
        {
            try
            {
                CborDecoder decoder = new CborDecoder(encoded);
                const string Shape = "the protected header must be exactly {1: -8, 3: content type}";
                if (decoder.PeekKind() != CborItemKind.Map || decoder.ReadMapHeader() != 2) throw new CoseFormatException(Shape);
                if (decoder.PeekKind() != CborItemKind.UnsignedInteger || decoder.ReadInt64() != HeaderAlgorithm) throw new CoseFormatException(Shape);
                CborItemKind algKind = decoder.PeekKind();
                if (algKind != CborItemKind.NegativeInteger && algKind != CborItemKind.UnsignedInteger)
                {
                    throw new CoseFormatException("alg must be an integer, found " + CborItemKinds.Describe(algKind));
                }
                long algorithm = decoder.ReadInt64();
                if (algorithm != AlgorithmEdDsa)
                {
                    throw new CoseFormatException("alg " + algorithm + " is not EdDSA (-8), the only algorithm accepted");
                }
                if (decoder.PeekKind() != CborItemKind.UnsignedInteger || decoder.ReadInt64() != HeaderContentType) throw new CoseFormatException(Shape);
                Expect(decoder, CborItemKind.TextString, "the content type");
                string contentType = decoder.ReadTextString();
                decoder.ExpectEnd();
                return contentType;
            }
            catch (CborFormatException e)
            {
                throw new CborFormatException("in the protected header (offset " + e.Offset + " within it): " + e.Problem, offsetInMessage + e.Offset);
            }
        }

        private static void Expect(CborDecoder decoder, CborItemKind wanted, string what)
        {
            CborItemKind kind = decoder.PeekKind();
            if (kind != wanted)
            {
                throw new CborFormatException(what + " must be " + CborItemKinds.Describe(wanted) + ", found " + CborItemKinds.Describe(kind), decoder.Position);
            }
        }
    }
}
