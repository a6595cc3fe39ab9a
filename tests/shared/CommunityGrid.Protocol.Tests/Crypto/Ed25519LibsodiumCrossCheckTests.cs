using System;
using System.Diagnostics;
using System.Threading.Tasks;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Crypto;
using NSec.Cryptography;
using Xunit.Abstractions;
using Ed25519 = CommunityGrid.Protocol.Crypto.Ed25519;

namespace CommunityGrid.Protocol.Tests.Crypto
{
    /// <summary>
    /// The portable Ed25519 against libsodium (through NSec, as the gateway uses it) on random keys and
    /// messages: same public keys, same signatures, and the same verdict on valid and corrupted ones.
    /// </summary>
    public class Ed25519LibsodiumCrossCheckTests
    {
        private const int Pairs = 10_000;
        private const int Workers = 2;
        private readonly ITestOutputHelper _output;

        public Ed25519LibsodiumCrossCheckTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void TenThousandRandomPairsAgreeBothWays()
        {
            // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            Stopwatch clock = Stopwatch.StartNew();
            string?[] failures = new string?[Workers];
            Parallel.For(0, Workers, new ParallelOptions { MaxDegreeOfParallelism = Workers }, worker =>
            {
                Random random = new Random(8032 + worker);
                for (int i = worker; i < Pairs && failures[worker] == null; i += Workers)
                {
                    failures[worker] = CheckOnePair(random, i);
                }
            });
            clock.Stop();
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            _output.WriteLine(Pairs + " key/message pairs cross-checked in " + clock.ElapsedMilliseconds + " ms wall time on "
                + Workers + " threads, " + (long)cpu.TotalMilliseconds + " ms CPU time (whole test process)");
            foreach (string? failure in failures)
            {
                Assert.Null(failure);
            }
        }

        /// <returns>null, or a description of the first disagreement.</returns>
        private static string? CheckOnePair(Random random, int index)
        {
            SignatureAlgorithm algorithm = SignatureAlgorithm.Ed25519;
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            byte[] message = new byte[random.Next(0, 301)];
            random.NextBytes(message);
            string context = "pair " + index + ", seed " + Hex.Encode(seed) + ", message " + Hex.Encode(message) + ": ";

            using Key key = Key.Import(algorithm, seed, KeyBlobFormat.RawPrivateKey);
            byte[] libsodiumPublic = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            byte[] portablePublic = Ed25519.PublicKeyFromSeed(seed);
            if (!ByteArrays.AreEqual(libsodiumPublic, portablePublic)) return context + "public keys differ";

            byte[] libsodiumSignature = algorithm.Sign(key, message);
            byte[] portableSignature = Ed25519.Sign(seed, message);
            if (!ByteArrays.AreEqual(libsodiumSignature, portableSignature)) return context + "signatures differ";
            // The key derived once (what the meter signs with) must give the very same bytes.
            var signingKey = Ed25519SigningKey.FromSeed(seed);
            if (!ByteArrays.AreEqual(libsodiumPublic, signingKey.PublicKey)) return context + "the signing key's public key differs";
            if (!ByteArrays.AreEqual(libsodiumSignature, signingKey.Sign(message))) return context + "the signing key's signature differs";

            PublicKey publicKey = PublicKey.Import(algorithm, libsodiumPublic, KeyBlobFormat.RawPublicKey);
            if (!algorithm.Verify(publicKey, message, portableSignature)) return context + "libsodium rejects the portable signature";
            if (!Ed25519.Verify(portablePublic, message, libsodiumSignature)) return context + "portable rejects the libsodium signature";

            byte[] corruptedMessage = (byte[])message.Clone();
            byte[] corruptedSignature = (byte[])libsodiumSignature.Clone();
            int bit = random.Next((message.Length + Ed25519.SignatureSize) * 8);
            if (bit < message.Length * 8) corruptedMessage[bit >> 3] ^= (byte)(1 << (bit & 7));
            else corruptedSignature[(bit >> 3) - message.Length] ^= (byte)(1 << (bit & 7));
            if (algorithm.Verify(publicKey, corruptedMessage, corruptedSignature)) return context + "libsodium accepts bit " + bit + " flipped";
            if (Ed25519.Verify(portablePublic, corruptedMessage, corruptedSignature)) return context + "portable accepts bit " + bit + " flipped";
            return null;
        }
    }
}
