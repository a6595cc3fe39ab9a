using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Formats.Cbor;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Formats.Cose
{
    /// <summary>
    /// COSE_Sign1 (RFC 9052 §4.2, §4.4) with EdDSA over Ed25519, in the one shape this protocol uses:
    /// tag 18 [ bstr .cbor {1: -8, 3: content type}, {4: kid}, payload bstr, signature bstr ], kid being the
    /// signer's 32-byte public key. Decoding accepts only that shape in deterministic CBOR, so every accepted
    /// message is byte-identical to what the meter's portable code would produce.
    /// Canonical conformance mode orders map keys length-first, RFC 8949 §4.2.1 bytewise; the keys here
    /// (1, 3, 4) are single bytes, for which both orders agree.
    /// </summary>
    public static class CoseSign1Codec
    {
        public const long CoseSign1Tag = 18;
        public const long AlgorithmEdDsa = -8;
        public const int HeaderAlgorithm = 1;
        public const int HeaderContentType = 3;
        public const int HeaderKeyId = 4;
        private const string SignatureContext = "Signature1";
        private const CborConformanceMode Mode = CborConformanceMode.Canonical;
        // Room for the structure's own heads (tag, array, map, string lengths) when a writer is sized to its contents; a
        // CborWriter otherwise starts at 1 KiB, for every message the gateway signs or checks. The size never changes the bytes.
        private const int LengthHeaders = 32;
        // The protected headers of the content types decoded so far ({1: -8, 3: type}, deterministic): a header equal to
        // the expected one's bytes needs no decode of its own. The content types are the protocol's few constants.
        private static readonly ConcurrentDictionary<string, byte[]> ExpectedHeaders = new(StringComparer.Ordinal);
        private const int MostExpectedHeaders = 32;
        // One writer per thread for the Sig_structure of a signature check (reset, never shared); its bytes go to a
        // pooled buffer, so checking a signature allocates nothing of its own.
        [ThreadStatic] private static CborWriter? sigStructureWriter;

        public static byte[] Sign(ReadOnlySpan<byte> payload, string contentType, Ed25519Signer signer)
        {
            ArgumentNullException.ThrowIfNull(contentType);
            ArgumentNullException.ThrowIfNull(signer);
            byte[] protectedHeader = ProtectedHeader(contentType);
            byte[] signature = signer.Sign(SigStructure(protectedHeader, payload));

            var writer = new CborWriter(Mode, initialCapacity: protectedHeader.Length + signer.PublicKey.Length + payload.Length + signature.Length + LengthHeaders);
            writer.WriteTag((CborTag)CoseSign1Tag);
            writer.WriteStartArray(4);
            writer.WriteByteString(protectedHeader);
            writer.WriteStartMap(1);
            writer.WriteInt32(HeaderKeyId);
            writer.WriteByteString(signer.PublicKey);
            writer.WriteEndMap();
            writer.WriteByteString(payload);
            writer.WriteByteString(signature);
            writer.WriteEndArray();
            return writer.Encode();
        }

        /// <summary>The protected header bucket's contents: the deterministic encoding of {1: -8, 3: contentType}.</summary>
        public static byte[] ProtectedHeader(string contentType)
        {
            var writer = new CborWriter(Mode, initialCapacity: contentType.Length + LengthHeaders);
            writer.WriteStartMap(2);
            writer.WriteInt32(HeaderAlgorithm);
            writer.WriteInt64(AlgorithmEdDsa);
            writer.WriteInt32(HeaderContentType);
            writer.WriteTextString(contentType);
            writer.WriteEndMap();
            return writer.Encode();
        }

        /// <summary>RFC 9052 §4.4 Sig_structure for COSE_Sign1 with empty external AAD: the bytes that are signed.</summary>
        public static byte[] SigStructure(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload)
        {
            var writer = new CborWriter(Mode, initialCapacity: SignatureContext.Length + protectedHeader.Length + payload.Length + LengthHeaders);
            WriteSigStructure(writer, protectedHeader, payload);
            return writer.Encode();
        }

        /// <summary>Whether <paramref name="signature"/> verifies under <paramref name="publicKey"/> over the <see cref="SigStructure"/> of the two parts.</summary>
        public static bool VerifySigStructure(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
        {
            CborWriter writer = sigStructureWriter ??= new CborWriter(Mode, initialCapacity: 512);
            writer.Reset();
            WriteSigStructure(writer, protectedHeader, payload);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(writer.BytesWritten);
            try
            {
                int length = writer.Encode(buffer);
                return Ed25519Verifier.Verify(publicKey, buffer.AsSpan(0, length), signature);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                // Let go of the payload's copy in the writer's buffer until the next check on this thread overwrites it.
                writer.Reset();
            }
        }

        private static void WriteSigStructure(CborWriter writer, ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload)
        {
            writer.WriteStartArray(4);
            writer.WriteTextString(SignatureContext);
            writer.WriteByteString(protectedHeader);
            writer.WriteByteString(ReadOnlySpan<byte>.Empty);
            writer.WriteByteString(payload);
            writer.WriteEndArray();
        }

        /// <summary>Parses and checks the message's shape; does not verify the signature (see <see cref="DecodedCoseSign1.VerifySignature"/>).</summary>
        /// <exception cref="ProtocolFormatException">not a COSE_Sign1 of this protocol's shape, alg not EdDSA, or another content type.</exception>
        public static DecodedCoseSign1 Decode(ReadOnlyMemory<byte> message, string expectedContentType)
        {
            ArgumentNullException.ThrowIfNull(expectedContentType);
            CoseSign1View view = DecodeView(message, expectedContentType);
            return new DecodedCoseSign1(view.ProtectedHeader.ToArray(), AlgorithmEdDsa, view.ContentType, view.KeyId.ToArray(), view.Payload.ToArray(), view.Signature.ToArray());
        }

        /// <summary>
        /// As <see cref="Decode"/>, with the same checks and errors, but the parts are slices of <paramref name="message"/>
        /// instead of copies: for the gateway's hot path, which decodes every reading at intake and again in its block.
        /// </summary>
        public static CoseSign1View DecodeView(ReadOnlyMemory<byte> message, string expectedContentType)
        {
            ArgumentNullException.ThrowIfNull(expectedContentType);
            var cbor = new StrictCbor("COSE_Sign1", message, Mode);
            return cbor.Run(expectedContentType, static (cbor, expected) => ReadMessage(cbor, expected));
        }

        private static CoseSign1View ReadMessage(StrictCbor cbor, string expectedContentType)
        {
            CborReader reader = cbor.Reader;
            cbor.Expect(CborReaderState.Tag, "the message must start with tag 18 (COSE_Sign1); untagged messages are rejected");
            CborTag tag = reader.ReadTag();
            if ((long)tag != CoseSign1Tag) throw cbor.Problem($"tag {(ulong)tag} is not 18 (COSE_Sign1)");
            cbor.Expect(CborReaderState.StartArray, "COSE_Sign1 content must be an array");
            if (reader.ReadStartArray() != 4) throw cbor.Problem("COSE_Sign1 must be an array of 4 items");

            cbor.Expect(CborReaderState.ByteString, "the protected header must be a byte string");
            // Canonical mode has no indefinite-length strings, and the state was checked: each part is one slice of the input.
            ReadOnlyMemory<byte> protectedHeader = reader.ReadDefiniteLengthByteString();
            string contentType = protectedHeader.Span.SequenceEqual(ExpectedHeader(expectedContentType))
                ? expectedContentType
                : ReadProtectedHeader(protectedHeader);
            if (contentType != expectedContentType)
            {
                throw cbor.Problem($"content type \"{contentType}\" is not the expected \"{expectedContentType}\"");
            }

            cbor.Expect(CborReaderState.StartMap, "the unprotected header must be a map");
            if (reader.ReadStartMap() != 1) throw cbor.Problem("the unprotected header must hold exactly {4: kid}");
            cbor.Expect(CborReaderState.UnsignedInteger, "the unprotected header must hold exactly {4: kid}");
            if (reader.ReadUInt64() != HeaderKeyId) throw cbor.Problem("the unprotected header must hold exactly {4: kid}");
            cbor.Expect(CborReaderState.ByteString, "kid must be a byte string");
            ReadOnlyMemory<byte> keyId = reader.ReadDefiniteLengthByteString();
            if (keyId.Length != Ed25519Signer.PublicKeySize)
            {
                throw cbor.Problem($"kid must be the signer's {Ed25519Signer.PublicKeySize}-byte Ed25519 public key, got {keyId.Length} bytes");
            }
            reader.ReadEndMap();

            cbor.Expect(CborReaderState.ByteString, "the payload must be a byte string (detached payloads are not supported)");
            ReadOnlyMemory<byte> payload = reader.ReadDefiniteLengthByteString();
            cbor.Expect(CborReaderState.ByteString, "the signature must be a byte string");
            ReadOnlyMemory<byte> signature = reader.ReadDefiniteLengthByteString();
            if (signature.Length != Ed25519Signer.SignatureSize)
            {
                throw cbor.Problem($"an Ed25519 signature is {Ed25519Signer.SignatureSize} bytes, got {signature.Length}");
            }
            reader.ReadEndArray();
            return new CoseSign1View(protectedHeader, contentType, keyId, payload, signature);
        }

        /// <summary>
        /// The deterministic protected header naming <paramref name="contentType"/>: bytes equal to it decode to exactly
        /// that content type, and any other bytes still go through <see cref="ReadProtectedHeader"/> with its checks.
        /// </summary>
        private static byte[] ExpectedHeader(string contentType)
        {
            if (ExpectedHeaders.TryGetValue(contentType, out byte[]? header)) return header;
            header = ProtectedHeader(contentType);
            if (ExpectedHeaders.Count < MostExpectedHeaders) ExpectedHeaders.TryAdd(contentType, header);
            return header;
        }

        private static string ReadProtectedHeader(ReadOnlyMemory<byte> encoded)
        {
            var cbor = new StrictCbor("COSE_Sign1 protected header", encoded, Mode);
            return cbor.Run(() =>
            {
                CborReader reader = cbor.Reader;
                const string shape = "must be exactly {1: -8, 3: content type}";
                cbor.Expect(CborReaderState.StartMap, shape);
                if (reader.ReadStartMap() != 2) throw cbor.Problem(shape);
                cbor.Expect(CborReaderState.UnsignedInteger, shape);
                if (reader.ReadUInt64() != HeaderAlgorithm) throw cbor.Problem(shape);
                CborReaderState algState = reader.PeekState();
                if (algState is not (CborReaderState.NegativeInteger or CborReaderState.UnsignedInteger))
                {
                    throw cbor.Problem($"alg must be an integer, found {algState}");
                }
                long algorithm = reader.ReadInt64();
                if (algorithm != AlgorithmEdDsa) throw cbor.Problem($"alg {algorithm} is not EdDSA (-8), the only algorithm accepted");
                cbor.Expect(CborReaderState.UnsignedInteger, shape);
                if (reader.ReadUInt64() != HeaderContentType) throw cbor.Problem(shape);
                cbor.Expect(CborReaderState.TextString, "content type must be a text string");
                string contentType = reader.ReadTextString();
                reader.ReadEndMap();
                return contentType;
            });
        }
    }
}
