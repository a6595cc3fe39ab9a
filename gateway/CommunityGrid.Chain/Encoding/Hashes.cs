using System;
using System.Security.Cryptography;

namespace CommunityGrid.Chain.Encoding;

public static class Hashes
{
    public const int Size = 32;

    [ThreadStatic]
    private static IncrementalHash? perThread;

    /// <remarks>
    /// Through a hash object kept per thread and reset by each digest rather than <c>SHA256.HashData</c>, which sets up
    /// and frees an OpenSSL digest context per call: the replay hashes every transaction (its id), and for inputs of a
    /// few hundred bytes that set-up cost about as much as the hashing (issue 18; the same as <c>BclMerkleHasher</c>).
    /// Same bytes: SHA-256 either way (HashesTests).
    /// </remarks>
    public static byte[] Sha256(ReadOnlySpan<byte> data)
    {
        IncrementalHash sha = perThread ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data);
        var digest = new byte[Size];
        sha.GetHashAndReset(digest);
        return digest;
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);

    /// <summary>Ordinal (unsigned bytewise, shorter first on a common prefix) comparison, the order of keys and validator sets.</summary>
    public static int Compare(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);
}
