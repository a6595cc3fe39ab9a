using System;
using System.Formats.Cbor;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Cbor;
using CommunityGrid.Protocol.Cose;
using Ed25519 = CommunityGrid.Protocol.Crypto.Ed25519;
using CommunityGrid.Protocol.Readings;
using CommunityGrid.Protocol.Tests.Readings;
using Key = NSec.Cryptography.Key;
using KeyBlobFormat = NSec.Cryptography.KeyBlobFormat;
using SignatureAlgorithm = NSec.Cryptography.SignatureAlgorithm;

namespace CommunityGrid.Protocol.Tests.Cose
{
    public class CoseSign1Tests
    {
        /// <summary>RFC 8032 §7.1 TEST 1 secret key.</summary>
        internal static readonly byte[] Rfc8032Test1Seed = Hex.Decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        internal const string Rfc8032Test1PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

        [Fact]
        public void Sign_then_decode_round_trips_and_verifies()
        {
            byte[] payload = { 1, 2, 3 };
            byte[] message = CoseSign1.Sign(payload, "application/test", Rfc8032Test1Seed);
            CoseSign1Message decoded = CoseSign1.Decode(message, "application/test");
            Assert.Equal(CoseSign1.AlgorithmEdDsa, decoded.Algorithm);
            Assert.Equal("application/test", decoded.ContentType);
            Assert.Equal(Rfc8032Test1PublicKey, Hex.Encode(decoded.KeyId));
            Assert.Equal(payload, decoded.Payload);
            Assert.Equal(64, decoded.Signature.Length);
            Assert.True(decoded.VerifySignature());
            Assert.Equal(payload, CoseSign1.Verify(message, "application/test").Payload);
        }

        [Fact]
        public void Layout_and_signature_match_an_independent_construction_with_System_Formats_Cbor_and_libsodium()
        {
            byte[] payload = MeterReadingCodec.Encode(MeterReadingCodecTests.Example());
            byte[] message = CoseSign1.Sign(payload, ContentTypes.Reading, Rfc8032Test1Seed);

            using Key key = Key.Import(SignatureAlgorithm.Ed25519, Rfc8032Test1Seed, KeyBlobFormat.RawPrivateKey);
            var header = new CborWriter(CborConformanceMode.Canonical);
            header.WriteStartMap(2);
            header.WriteInt32(1); header.WriteInt32(-8);
            header.WriteInt32(3); header.WriteTextString(ContentTypes.Reading);
            header.WriteEndMap();
            byte[] protectedHeader = header.Encode();
            var toBeSigned = new CborWriter(CborConformanceMode.Canonical);
            toBeSigned.WriteStartArray(4);
            toBeSigned.WriteTextString("Signature1");
            toBeSigned.WriteByteString(protectedHeader);
            toBeSigned.WriteByteString(Array.Empty<byte>());
            toBeSigned.WriteByteString(payload);
            toBeSigned.WriteEndArray();
            byte[] signature = SignatureAlgorithm.Ed25519.Sign(key, toBeSigned.Encode());
            var writer = new CborWriter(CborConformanceMode.Canonical);
            writer.WriteTag((CborTag)18);
            writer.WriteStartArray(4);
            writer.WriteByteString(protectedHeader);
            writer.WriteStartMap(1);
            writer.WriteInt32(4); writer.WriteByteString(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
            writer.WriteEndMap();
            writer.WriteByteString(payload);
            writer.WriteByteString(signature);
            writer.WriteEndArray();

            Assert.Equal(Hex.Encode(writer.Encode()), Hex.Encode(message));
            // The key derived once, reused for several messages, gives the same bytes.
            var signingKey = CommunityGrid.Protocol.Crypto.Ed25519SigningKey.FromSeed(Rfc8032Test1Seed);
            Assert.Equal(Hex.Encode(message), Hex.Encode(CoseSign1.Sign(payload, ContentTypes.Reading, signingKey)));
            Assert.Equal(Hex.Encode(message), Hex.Encode(SignedReading.Create(MeterReadingCodecTests.Example(), signingKey)));
        }

        [Fact]
        public void The_documented_example_has_these_bytes()
        {
            byte[] message = SignedReading.Create(MeterReadingCodecTests.Example(), Rfc8032Test1Seed);
            Assert.Equal(DocumentedExample.SignedReadingHex, Hex.Encode(message));
            Assert.Equal(DocumentedExample.SigStructureHex, Hex.Encode(CoseSign1.SigStructure(
                CoseSign1.ProtectedHeader(ContentTypes.Reading), MeterReadingCodec.Encode(MeterReadingCodecTests.Example()))));
        }

        [Theory]
        [InlineData("reading-payload", Readings.MeterReadingCodecTests.ExampleHex)]
        [InlineData("protected-header", DocumentedExample.ProtectedHeaderHex)]
        [InlineData("sig-structure", DocumentedExample.SigStructureHex)]
        [InlineData("signed-reading", DocumentedExample.SignedReadingHex)]
        public void The_protocol_doc_shows_exactly_these_bytes(string example, string expectedHex)
        {
            Assert.Equal(expectedHex, DocumentedExample.FromProtocolDoc(example));
        }

        [Fact]
        public void SignedReading_round_trips()
        {
            var random = new Random(9052);
            for (int i = 0; i < 20; i++)
            {
                byte[] seed = new byte[32];
                random.NextBytes(seed);
                MeterReading reading = RandomReadings.Next(random);
                OpenedReading opened = SignedReading.Open(SignedReading.Create(reading, seed));
                Assert.True(opened.SignatureValid);
                Assert.Equal(Ed25519.PublicKeyFromSeed(seed), opened.KeyId);
                MeterReadingCodecTests.AssertSame(reading, opened.Reading);
            }
        }

        [Fact]
        public void Every_single_bit_flip_is_rejected_or_fails_verification()
        {
            byte[] message = SignedReading.Create(MeterReadingCodecTests.Example(), Rfc8032Test1Seed);
            for (int bit = 0; bit < message.Length * 8; bit++)
            {
                byte[] flipped = (byte[])message.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                try
                {
                    Assert.False(SignedReading.Open(flipped).SignatureValid, $"bit {bit}");
                }
                catch (FormatException)
                {
                    // Rejected before the signature check: as good.
                }
            }
        }

        [Fact]
        public void Verify_throws_for_a_bad_signature()
        {
            byte[] message = CoseSign1.Sign(new byte[] { 7 }, "t", Rfc8032Test1Seed);
            message[message.Length - 1] ^= 1;
            Assert.False(CoseSign1.Decode(message, "t").VerifySignature());
            Assert.Throws<CoseSignatureException>(() => CoseSign1.Verify(message, "t"));
        }

        [Fact]
        public void Rejects_an_untagged_message()
        {
            var e = Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(tagged: false), ContentTypes.Reading));
            Assert.Contains("untagged", e.Message);
        }

        [Fact]
        public void Rejects_another_algorithm()
        {
            var e = Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(alg: -7), ContentTypes.Reading));
            Assert.Contains("alg -7 is not EdDSA (-8)", e.Message);
        }

        [Fact]
        public void Rejects_another_content_type()
        {
            var e = Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(contentType: "application/cbor"), ContentTypes.Reading));
            Assert.Contains("content type \"application/cbor\"", e.Message);
        }

        [Fact]
        public void Rejects_a_kid_that_is_not_32_bytes()
        {
            var e = Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(kid: new byte[31]), ContentTypes.Reading));
            Assert.Contains("got 31 bytes", e.Message);
        }

        [Fact]
        public void Rejects_a_signature_that_is_not_64_bytes()
        {
            var e = Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(signature: new byte[65]), ContentTypes.Reading));
            Assert.Contains("64 bytes, got 65", e.Message);
        }

        [Fact]
        public void Rejects_extra_unprotected_headers()
        {
            Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(extraUnprotectedLabel: true), ContentTypes.Reading));
        }

        [Fact]
        public void Rejects_a_detached_payload()
        {
            var e = Assert.Throws<CborFormatException>(() => CoseSign1.Decode(Build(nilPayload: true), ContentTypes.Reading));
            Assert.Contains("detached", e.Message);
        }

        [Fact]
        public void Rejects_a_non_canonical_protected_header_with_its_offset_in_the_message()
        {
            // alg -8 written as 38 07 (a 1-byte argument for 7). The protected map starts at byte 4 (d2 84 58 31), alg at 6.
            byte[] header = Hex.Decode("a201380703782a" + Hex.Encode(Utf8.Encode(ContentTypes.Reading)));
            var e = Assert.Throws<CborFormatException>(() => CoseSign1.Decode(Build(protectedHeader: header), ContentTypes.Reading));
            Assert.Contains("in the protected header", e.Message);
            Assert.Contains("non-shortest", e.Message);
            Assert.Equal(6, e.Offset);
        }

        [Fact]
        public void Rejects_a_protected_header_with_keys_out_of_order()
        {
            Assert.Throws<CoseFormatException>(() => CoseSign1.Decode(Build(reversedProtected: true), ContentTypes.Reading));
        }

        [Fact]
        public void Rejects_trailing_bytes()
        {
            byte[] message = ByteArrays.Concat(Build(), new byte[] { 0xF6 });
            Assert.Throws<CborFormatException>(() => CoseSign1.Decode(message, ContentTypes.Reading));
        }

        [Fact]
        public void The_builder_makes_a_valid_message_by_default()
        {
            Assert.True(CoseSign1.Decode(Build(), ContentTypes.Reading).VerifySignature());
        }

        /// <summary>A message built with System.Formats.Cbor (lax mode, so malformed variants are possible).</summary>
        private static byte[] Build(
            bool tagged = true,
            long alg = -8,
            string contentType = ContentTypes.Reading,
            byte[]? kid = null,
            byte[]? signature = null,
            bool extraUnprotectedLabel = false,
            bool nilPayload = false,
            bool reversedProtected = false,
            byte[]? protectedHeader = null)
        {
            byte[] payload = MeterReadingCodec.Encode(MeterReadingCodecTests.Example());
            var header = new CborWriter(CborConformanceMode.Lax);
            header.WriteStartMap(2);
            if (reversedProtected)
            {
                header.WriteInt32(3); header.WriteTextString(contentType);
                header.WriteInt32(1); header.WriteInt64(alg);
            }
            else
            {
                header.WriteInt32(1); header.WriteInt64(alg);
                header.WriteInt32(3); header.WriteTextString(contentType);
            }
            header.WriteEndMap();
            protectedHeader ??= header.Encode();
            signature ??= Ed25519.Sign(Rfc8032Test1Seed, CoseSign1.SigStructure(protectedHeader, payload));

            var writer = new CborWriter(CborConformanceMode.Lax);
            if (tagged) writer.WriteTag((CborTag)18);
            writer.WriteStartArray(4);
            writer.WriteByteString(protectedHeader);
            writer.WriteStartMap(extraUnprotectedLabel ? 2 : 1);
            writer.WriteInt32(4); writer.WriteByteString(kid ?? Hex.Decode(Rfc8032Test1PublicKey));
            if (extraUnprotectedLabel) { writer.WriteInt32(5); writer.WriteByteString(new byte[12]); }
            writer.WriteEndMap();
            if (nilPayload) writer.WriteNull(); else writer.WriteByteString(payload);
            writer.WriteByteString(signature);
            writer.WriteEndArray();
            return writer.Encode();
        }
    }
}
