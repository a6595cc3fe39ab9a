using System;
using System.Security.Cryptography;

namespace CommunityGrid.Chain.Encoding;

public static class Hashes
{
    public const int Size = 32;

    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    public static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceEqual(b);

    /// <summary>Ordinal (unsigned bytewise, shorter first on a common prefix) comparison, the order of keys and validator sets.</summary>
    public static int Compare(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);
}
