using System;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Crypto;

namespace CommunityGrid.Protocol.Tests.Crypto
{
    public class Sha2Tests
    {
        private const string TwoBlocks448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        private const string TwoBlocks896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

        // FIPS 180-4 examples (NIST CSRC "Examples with intermediate values") and the empty message.
        [Theory]
        [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
        [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
        [InlineData(TwoBlocks448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
        [InlineData(TwoBlocks896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
        public void Sha256MatchesNistVectors(string message, string expectedHex)
        {
            Assert.Equal(expectedHex, Hex.Encode(Sha256.Hash(Utf8.Encode(message))));
        }

        [Theory]
        [InlineData("", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
        [InlineData("abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
        [InlineData(TwoBlocks448, "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445")]
        [InlineData(TwoBlocks896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")]
        public void Sha512MatchesNistVectors(string message, string expectedHex)
        {
            Assert.Equal(expectedHex, Hex.Encode(Sha512.Hash(Utf8.Encode(message))));
        }

        [Fact]
        public void OneMillionAs()
        {
            byte[] chunk = new byte[1000];
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)'a';
            Sha256 sha256 = new Sha256();
            Sha512 sha512 = new Sha512();
            for (int i = 0; i < 1000; i++)
            {
                sha256.Append(chunk);
                sha512.Append(chunk);
            }
            Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex.Encode(sha256.Finish()));
            Assert.Equal("e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b", Hex.Encode(sha512.Finish()));
        }

        [Fact]
        public void EveryLengthUpTo1000MatchesTheBcl()
        {
            Random random = new Random(180_4);
            for (int length = 0; length <= 1000; length++)
            {
                byte[] message = new byte[length];
                random.NextBytes(message);
                Assert.Equal(System.Security.Cryptography.SHA256.HashData(message), Sha256.Hash(message));
                Assert.Equal(System.Security.Cryptography.SHA512.HashData(message), Sha512.Hash(message));
            }
        }

        [Fact]
        public void IncrementalAppendInRandomChunksEqualsOneShot()
        {
            Random random = new Random(42);
            Sha256 sha256 = new Sha256();
            Sha512 sha512 = new Sha512();
            for (int round = 0; round < 300; round++)
            {
                byte[] message = new byte[random.Next(0, 1200)];
                random.NextBytes(message);
                int offset = 0;
                while (offset < message.Length)
                {
                    int count = random.Next(0, Math.Min(300, message.Length - offset) + 1);
                    // Zero-length and whole-array overloads are part of what callers do.
                    if (count == message.Length) sha256.Append(message);
                    else sha256.Append(message, offset, count);
                    sha512.Append(message, offset, count);
                    offset += count;
                }
                // The same instances are reused: Finish must reset them to the empty message.
                Assert.Equal(Sha256.Hash(message), sha256.Finish());
                Assert.Equal(Sha512.Hash(message), sha512.Finish());
            }
        }

        [Fact]
        public void HashOfARangeHashesOnlyThatRange()
        {
            byte[] data = Utf8.Encode("xxabcyy");
            Assert.Equal(Sha256.Hash(Utf8.Encode("abc")), Sha256.Hash(data, 2, 3));
            Assert.Equal(Sha512.Hash(Utf8.Encode("abc")), Sha512.Hash(data, 2, 3));
        }

        [Fact]
        public void RangesOutsideTheArrayAreRejected()
        {
            byte[] data = new byte[10];
            Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Hash(data, 5, 6));
            Assert.Throws<ArgumentOutOfRangeException>(() => Sha512.Hash(data, -1, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Sha256().Append(data, 0, -1));
            Assert.Throws<ArgumentNullException>(() => Sha512.Hash(null!));
        }

        [Fact]
        public void FinishedInstanceStartsOverAsTheEmptyMessage()
        {
            Sha256 sha256 = new Sha256();
            sha256.Append(Utf8.Encode("abc"));
            sha256.Finish();
            Assert.Equal(Sha256.Hash(new byte[0]), sha256.Finish());
        }
    }
}
