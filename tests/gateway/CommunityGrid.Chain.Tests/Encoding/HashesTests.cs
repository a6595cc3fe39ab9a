using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Tests.Encoding;

/// <summary><see cref="Hashes.Sha256"/> keeps a hash object per thread: it must give SHA-256 of each input alone, whatever was hashed before.</summary>
public sealed class HashesTests
{
    [Fact]
    public void Known_digests()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashes.Hex(Hashes.Sha256([])));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hashes.Hex(Hashes.Sha256("abc"u8)));
    }

    [Fact]
    public void Equal_to_the_one_shot_digest_on_random_inputs_on_several_threads_at_once()
    {
        Parallel.For(0, 4, thread =>
        {
            var random = new Random(31 + thread);
            for (int i = 0; i < 2000; i++)
            {
                // Lengths around SHA-256's 55/64-byte padding boundaries and a few larger ones.
                var data = new byte[i < 1000 ? i % 300 : random.Next(0, 5000)];
                random.NextBytes(data);
                Assert.Equal(Hashes.Hex(SHA256.HashData(data)), Hashes.Hex(Hashes.Sha256(data)));
            }
        });
    }
}
