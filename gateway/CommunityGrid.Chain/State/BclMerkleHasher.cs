using System;
using System.Security.Cryptography;
using CommunityGrid.Protocol.Merkle;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The RFC 6962 hashes with the platform's SHA-256 (OpenSSL on Linux, with the CPU's SHA extensions where present).
/// Same bytes as <see cref="PortableMerkleHasher"/>: tests compare the two on random inputs. Thread-safe.
/// </summary>
/// <remarks>
/// Inputs here are tiny (a 65-byte node, a leaf of a few dozen bytes), so the cost of a call into the platform
/// outweighs the hashing itself; a hash object kept per thread and reset after each digest saves setting one up per
/// call (about a quarter of the cost of <c>SHA256.HashData</c> for a node).
/// </remarks>
public sealed class BclMerkleHasher : IMerkleHasher
{
    public static readonly BclMerkleHasher Instance = new();

    // Leaves are state entries of a few dozen bytes; larger inputs go to the heap rather than risk the stack.
    private const int MaxStackInput = 512;

    [ThreadStatic]
    private static IncrementalHash? perThread;

    private BclMerkleHasher()
    {
    }

    public byte[] LeafHash(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = 1 + data.Length;
        Span<byte> input = length <= MaxStackInput ? stackalloc byte[length] : new byte[length];
        input[0] = 0x00;
        data.CopyTo(input[1..]);
        return Hash(input);
    }

    /// <summary>The leaf hash of <paramref name="head"/> followed by <paramref name="rest"/>, without joining them first.</summary>
    public byte[] LeafHash(ReadOnlySpan<byte> head, ReadOnlySpan<byte> rest)
    {
        int length = 1 + head.Length + rest.Length;
        Span<byte> input = length <= MaxStackInput ? stackalloc byte[length] : new byte[length];
        input[0] = 0x00;
        head.CopyTo(input[1..]);
        rest.CopyTo(input[(1 + head.Length)..]);
        return Hash(input);
    }

    public byte[] NodeHash(byte[] left, byte[] right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        int length = 1 + left.Length + right.Length;
        Span<byte> input = length <= MaxStackInput ? stackalloc byte[length] : new byte[length];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + left.Length)..]);
        return Hash(input);
    }

    private static byte[] Hash(ReadOnlySpan<byte> input)
    {
        IncrementalHash sha = perThread ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(input);
        var digest = new byte[SHA256.HashSizeInBytes];
        sha.GetHashAndReset(digest);
        return digest;
    }
}
