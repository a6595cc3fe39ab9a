using System;
using System.Formats.Cbor;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Formats.Tests
{
    public class CoseSign1CodecTests
    {
        private static readonly byte[] Seed = Hex.Decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

        [Fact]
        public void Sign_then_decode_round_trips_and_verifies()
        {
            using Ed25519Signer signer = Ed25519Signer.FromSeed(Seed);
            byte[] message = CoseSign1Codec.Sign(new byte[] { 1, 2, 3 }, "application/test", signer);
            DecodedCoseSign1 decoded = CoseSign1Codec.Decode(message, "application/test");
            Assert.Equal(CoseSign1Codec.AlgorithmEdDsa, decoded.Algorithm);
            Assert.Equal("application/test", decoded.ContentType);
            Assert.Equal(signer.PublicKey, decoded.KeyId);
            Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Payload);
            Assert.True(decoded.VerifySignature());
        }

        [Fact]
        public void Checks_in_turn_on_one_thread_each_verify_their_own_message_only()
        {
            // The Sig_structure of a check is written with a writer reused per thread: a longer payload then a shorter
            // one, and signatures swapped between them, show that nothing of one check carries into the next.
            using Ed25519Signer first = Ed25519Signer.FromSeed(Seed);
            using Ed25519Signer second = Ed25519Signer.Generate();
            DecodedCoseSign1 longer = CoseSign1Codec.Decode(CoseSign1Codec.Sign(new byte[700], "application/test", first), "application/test");
            DecodedCoseSign1 shorter = CoseSign1Codec.Decode(CoseSign1Codec.Sign(new byte[] { 7 }, "application/other", second), "application/other");
            for (int i = 0; i < 3; i++)
            {
                Assert.True(longer.VerifySignature());
                Assert.True(shorter.VerifySignature());
                Assert.False((longer with { Signature = shorter.Signature }).VerifySignature());
                Assert.False((shorter with { Payload = longer.Payload }).VerifySignature());
                Assert.False((longer with { Payload = [.. longer.Payload[..699], 1] }).VerifySignature());
                Assert.True(CoseSign1Codec.VerifySigStructure(longer.KeyId, longer.ProtectedHeader, longer.Payload, longer.Signature));
                Assert.Equal(Ed25519Verifier.Verify(shorter.KeyId, CoseSign1Codec.SigStructure(shorter.ProtectedHeader, shorter.Payload), shorter.Signature),
                    CoseSign1Codec.VerifySigStructure(shorter.KeyId, shorter.ProtectedHeader, shorter.Payload, shorter.Signature));
            }
        }

        [Fact]
        public void A_protected_header_that_is_not_the_expected_bytes_is_still_decoded_and_checked()
        {
            // The expected content type's header is compared as bytes before any decode; every other header goes
            // through the full checks, before and after the expected one was seen on this thread.
            Assert.Equal("application/test", CoseSign1Codec.Decode(Build(contentType: "application/test"), "application/test").ContentType);
            Rejects(Build(contentType: "application/test2"), "content type \"application/test2\"");
            Rejects(Build(reversedProtected: true), "protected header");
            Assert.Equal(ContentTypes.Reading, CoseSign1Codec.Decode(Build(), ContentTypes.Reading).ContentType);
            Rejects(Build(alg: -7), "alg -7 is not EdDSA (-8)");
        }

        [Fact]
        public void A_generated_key_signs_verifiably()
        {
            using Ed25519Signer signer = Ed25519Signer.Generate();
            OpenedReading opened = SignedReadingCodec.Open(SignedReadingCodec.Create(Readings.Example, signer));
            Assert.True(opened.SignatureValid);
            Assert.Equal(signer.PublicKey, opened.KeyId);
        }

        [Fact]
        public void A_wrong_signature_is_reported_not_thrown()
        {
            byte[] signature = new byte[64];
            Assert.False(SignedReadingCodec.Open(Build(signature: signature)).SignatureValid);
        }

        [Fact]
        public void Verifier_returns_false_for_malformed_keys_and_signatures()
        {
            Assert.False(Ed25519Verifier.Verify(new byte[31], new byte[1], new byte[64]));
            Assert.False(Ed25519Verifier.Verify(new byte[32], new byte[1], new byte[63]));
        }

        [Fact]
        public void Seed_must_be_32_bytes() => Assert.Throws<ArgumentException>(() => Ed25519Signer.FromSeed(new byte[31]));

        [Fact]
        public void Rejects_an_untagged_message() => Rejects(Build(tagged: false), "untagged");

        [Fact]
        public void Rejects_another_tag() => Rejects(Build(tag: 98), "tag 98 is not 18");

        [Fact]
        public void Rejects_another_algorithm() => Rejects(Build(alg: -7), "alg -7 is not EdDSA (-8)");

        [Fact]
        public void Rejects_another_content_type() => Rejects(Build(contentType: "application/cbor"), "content type \"application/cbor\"");

        [Fact]
        public void Rejects_a_kid_that_is_not_32_bytes() => Rejects(Build(kid: new byte[33]), "got 33 bytes");

        [Fact]
        public void Rejects_a_signature_that_is_not_64_bytes() => Rejects(Build(signature: new byte[63]), "64 bytes, got 63");

        [Fact]
        public void Rejects_extra_unprotected_headers() => Rejects(Build(extraUnprotectedLabel: true), "exactly {4: kid}");

        [Fact]
        public void Rejects_a_detached_payload() => Rejects(Build(nilPayload: true), "detached");

        [Fact]
        public void Rejects_a_protected_header_with_keys_out_of_order() => Rejects(Build(reversedProtected: true), "protected header");

        // Issue 11, case 4: alg outside int64 made ReadInt64 throw OverflowException past every caller's format handling.
        [Fact]
        public void Rejects_alg_2_to_the_64_minus_1_as_a_format_error() =>
            Rejects(Build(writeAlg: w => w.WriteUInt64(ulong.MaxValue)), "outside the range");

        [Fact]
        public void Rejects_alg_minus_2_to_the_64_as_a_format_error() =>
            Rejects(Build(writeAlg: w => w.WriteCborNegativeIntegerRepresentation(ulong.MaxValue)), "outside the range");

        [Fact]
        public void Rejects_trailing_bytes() => Rejects([.. Build(), 0xf6], "trailing");

        private static void Rejects(byte[] message, string expectedWords)
        {
            var e = Assert.Throws<ProtocolFormatException>(() => SignedReadingCodec.Open(message));
            Assert.Contains(expectedWords, e.Message);
            // The in-place decode the gateway's intake uses refuses the same messages with the same words.
            var inPlace = Assert.Throws<ProtocolFormatException>(() => ReadingCbor.Decode(CoseSign1Codec.DecodeView(message, ContentTypes.Reading).Payload));
            Assert.Equal(e.Message, inPlace.Message);
        }

        [Fact]
        public void The_in_place_decode_gives_the_parts_the_copying_decode_gives_for_message_after_message()
        {
            using Ed25519Signer first = Ed25519Signer.FromSeed(Seed);
            using Ed25519Signer second = Ed25519Signer.Generate();
            byte[][] messages =
            [
                CoseSign1Codec.Sign(new byte[300], "application/test", first),
                CoseSign1Codec.Sign(new byte[] { 1 }, "application/test", second),
                CoseSign1Codec.Sign(new byte[] { 2, 3 }, "application/test", first),
            ];
            foreach (byte[] message in messages)
            {
                DecodedCoseSign1 copied = CoseSign1Codec.Decode(message, "application/test");
                CoseSign1View view = CoseSign1Codec.DecodeView(message, "application/test");
                Assert.Equal(copied.ProtectedHeader, view.ProtectedHeader.ToArray());
                Assert.Equal(copied.ContentType, view.ContentType);
                Assert.Equal(copied.KeyId, view.KeyId.ToArray());
                Assert.Equal(copied.Payload, view.Payload.ToArray());
                Assert.Equal(copied.Signature, view.Signature.ToArray());
                Assert.True(view.VerifySignature());
                Assert.False((view with { Payload = messages[0].AsMemory(0, view.Payload.Length) }).VerifySignature());
            }
        }

        /// <summary>A message built in lax mode, so malformed variants are possible; valid with the defaults.</summary>
        private static byte[] Build(
            bool tagged = true,
            ulong tag = 18,
            long alg = -8,
            string contentType = ContentTypes.Reading,
            byte[]? kid = null,
            byte[]? signature = null,
            bool extraUnprotectedLabel = false,
            bool nilPayload = false,
            bool reversedProtected = false,
            Action<CborWriter>? writeAlg = null)
        {
            writeAlg ??= w => w.WriteInt64(alg);
            using Ed25519Signer signer = Ed25519Signer.FromSeed(Seed);
            byte[] payload = ReadingCbor.Encode(Readings.Example);
            var header = new CborWriter(CborConformanceMode.Lax);
            header.WriteStartMap(2);
            if (reversedProtected)
            {
                header.WriteInt32(3); header.WriteTextString(contentType);
                header.WriteInt32(1); writeAlg(header);
            }
            else
            {
                header.WriteInt32(1); writeAlg(header);
                header.WriteInt32(3); header.WriteTextString(contentType);
            }
            header.WriteEndMap();
            byte[] protectedHeader = header.Encode();
            signature ??= signer.Sign(CoseSign1Codec.SigStructure(protectedHeader, payload));

            var writer = new CborWriter(CborConformanceMode.Lax);
            if (tagged) writer.WriteTag((CborTag)tag);
            writer.WriteStartArray(4);
            writer.WriteByteString(protectedHeader);
            writer.WriteStartMap(extraUnprotectedLabel ? 2 : 1);
            writer.WriteInt32(4); writer.WriteByteString(kid ?? signer.PublicKey);
            if (extraUnprotectedLabel) { writer.WriteInt32(5); writer.WriteByteString(new byte[12]); }
            writer.WriteEndMap();
            if (nilPayload) writer.WriteNull(); else writer.WriteByteString(payload);
            writer.WriteByteString(signature);
            writer.WriteEndArray();
            return writer.Encode();
        }

        [Fact]
        public void The_builder_makes_a_valid_message_by_default() => Assert.True(SignedReadingCodec.Open(Build()).SignatureValid);
    }
}
