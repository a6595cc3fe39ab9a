using System;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Protocol.Bytes;
using PortableCose = CommunityGrid.Protocol.Cose;
using PortableCrypto = CommunityGrid.Protocol.Crypto;
using PortableReadings = CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Formats.Tests
{
    /// <summary>The meter's portable code and the gateway's library-based code must agree byte for byte.</summary>
    public class InteropTests
    {
        private static readonly byte[] Rfc8032Test1Seed = Hex.Decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

        /// <summary>The signature of the worked example in docs/protocol.md §4.1.</summary>
        private const string DocumentedSignatureHex =
            "86f5f1cb4a23af506164715e2053b3a3c3c0d92031d169f290235bae84f92469c20fabe1037367d405b95b825f9b6fb7673604d8ff116d96f470ed5ceb83af0d";

        [Fact]
        public void Portable_and_gateway_reading_encodings_are_identical_for_thousands_of_random_readings()
        {
            var random = new Random(4201);
            for (int i = 0; i < 3000; i++)
            {
                MeterReading reading = Readings.Random(random);
                byte[] gateway = ReadingCbor.Encode(reading);
                byte[] portable = PortableReadings.MeterReadingCodec.Encode(Readings.ToPortable(reading));
                Assert.Equal(Hex.Encode(portable), Hex.Encode(gateway));
                Assert.Equal(reading, ReadingCbor.Decode(portable));
                Assert.Equal(reading, Readings.FromPortable(PortableReadings.MeterReadingCodec.Decode(gateway)));
            }
        }

        [Fact]
        public void The_documented_example_is_byte_identical_on_both_sides()
        {
            using Ed25519Signer signer = Ed25519Signer.FromSeed(Rfc8032Test1Seed);
            byte[] gateway = SignedReadingCodec.Create(Readings.Example, signer);
            byte[] portable = PortableCose.SignedReading.Create(Readings.ToPortable(Readings.Example), Rfc8032Test1Seed);
            Assert.Equal(Hex.Encode(portable), Hex.Encode(gateway));
            Assert.EndsWith("5840" + DocumentedSignatureHex, Hex.Encode(gateway));
        }

        [Fact]
        public void Signed_readings_are_byte_identical_and_each_side_verifies_the_others()
        {
            var random = new Random(9052);
            for (int i = 0; i < 40; i++)
            {
                byte[] seed = new byte[32];
                random.NextBytes(seed);
                MeterReading reading = Readings.Random(random);
                using Ed25519Signer signer = Ed25519Signer.FromSeed(seed);
                Assert.Equal(PortableCrypto.Ed25519.PublicKeyFromSeed(seed), signer.PublicKey);

                byte[] fromMeter = PortableCose.SignedReading.Create(Readings.ToPortable(reading), seed);
                byte[] fromGateway = SignedReadingCodec.Create(reading, signer);
                Assert.Equal(Hex.Encode(fromMeter), Hex.Encode(fromGateway));

                OpenedReading openedByGateway = SignedReadingCodec.Open(fromMeter);
                Assert.True(openedByGateway.SignatureValid);
                Assert.Equal(reading, openedByGateway.Reading);
                Assert.Equal(signer.PublicKey, openedByGateway.KeyId);

                PortableCose.OpenedReading openedByMeterCode = PortableCose.SignedReading.Open(fromGateway);
                Assert.True(openedByMeterCode.SignatureValid);
                Assert.Equal(reading, Readings.FromPortable(openedByMeterCode.Reading));
            }
        }

        [Fact]
        public void Every_single_bit_flip_fails_on_both_sides()
        {
            using Ed25519Signer signer = Ed25519Signer.FromSeed(Rfc8032Test1Seed);
            byte[] message = SignedReadingCodec.Create(Readings.Example, signer);
            for (int bit = 0; bit < message.Length * 8; bit++)
            {
                byte[] flipped = (byte[])message.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(GatewayAccepts(flipped), $"gateway accepted a flip of bit {bit}");
                Assert.False(PortableAccepts(flipped), $"portable code accepted a flip of bit {bit}");
            }
        }

        [Fact]
        public void Random_mutations_of_a_signed_reading_are_judged_alike_by_both_sides()
        {
            using Ed25519Signer signer = Ed25519Signer.FromSeed(Rfc8032Test1Seed);
            byte[] message = SignedReadingCodec.Create(Readings.Example, signer);
            var random = new Random(1234);
            for (int i = 0; i < 3000; i++)
            {
                byte[] mutated = Mutations.Mutate(random, message);
                Assert.True(GatewayAccepts(mutated) == PortableAccepts(mutated), $"sides disagree on {Hex.Encode(mutated)}");
            }
        }

        [Fact]
        public void Random_mutations_of_a_reading_payload_are_judged_alike_by_both_codecs()
        {
            var random = new Random(5678);
            int acceptedMutants = 0;
            for (int i = 0; i < 30000; i++)
            {
                byte[] valid = ReadingCbor.Encode(i % 10 == 0 ? Readings.Example : Readings.Random(random));
                byte[] mutated = Mutations.Mutate(random, valid);
                MeterReading? gateway = Try(() => ReadingCbor.Decode(mutated));
                MeterReading? portable = Try(() => Readings.FromPortable(PortableReadings.MeterReadingCodec.Decode(mutated)));
                Assert.True(gateway == portable, $"codecs disagree on {Hex.Encode(mutated)}: gateway {gateway}, portable {portable}");
                if (gateway is not null)
                {
                    acceptedMutants++;
                    // Accepted input is canonical: it re-encodes to itself.
                    Assert.Equal(Hex.Encode(mutated), Hex.Encode(ReadingCbor.Encode(gateway)));
                }
            }
            Assert.InRange(acceptedMutants, 1, 29999);
        }

        private static bool GatewayAccepts(byte[] message)
        {
            try
            {
                return SignedReadingCodec.Open(message).SignatureValid;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static bool PortableAccepts(byte[] message)
        {
            try
            {
                return PortableCose.SignedReading.Open(message).SignatureValid;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static T? Try<T>(Func<T> decode) where T : class
        {
            try
            {
                return decode();
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
