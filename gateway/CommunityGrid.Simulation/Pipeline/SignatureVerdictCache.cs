using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// Ed25519 verdicts already reached in this process, keyed by the exact (public key, signature, message) triple they
/// were reached for. Every simulated meter of a community checks the same commit certificates: with one gateway 180
/// meters verify the same (validator key, header, signature) triple once per block each. Verification is a pure
/// function of the triple, so a verdict looked up here is the verdict libsodium would give again; a triple that differs
/// in any bit (a tampered key, message or signature) has another key and is verified afresh. Real meters share nothing
/// and keep their own check; docs/simulation.md, Performance. Thread-safe; bounded by <see cref="Capacity"/> (emptied
/// when full, which only costs verifications again).
/// </summary>
public sealed class SignatureVerdictCache(int capacity = SignatureVerdictCache.DefaultCapacity)
{
    /// <summary>Enough for every validator's signature of the blocks the meters may still be catching up on.</summary>
    public const int DefaultCapacity = 4096;

    private const int KeyLength = 32;
    private const int SignatureLength = 64;

    private readonly ConcurrentDictionary<TripleDigest, bool> verdicts = new();
    private long entries, hits, misses;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "a verdict cache needs room for at least one verdict");

    /// <summary>Verdicts answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>Verdicts computed by <c>verify</c> (and then kept).</summary>
    public long Misses => Interlocked.Read(ref misses);

    /// <summary>
    /// The verdict for the triple: the one kept from an earlier call with the same bytes, or <paramref name="verify"/>'s.
    /// Keys and signatures of other lengths than Ed25519's are never valid and are not kept (the caller refuses them first).
    /// </summary>
    public bool Verify(byte[] publicKey, byte[] message, byte[] signature, Func<byte[], byte[], byte[], bool> verify)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(verify);
        if (publicKey.Length != KeyLength || signature.Length != SignatureLength) return verify(publicKey, message, signature);
        TripleDigest digest = TripleDigest.Of(publicKey, message, signature);
        if (verdicts.TryGetValue(digest, out bool known))
        {
            Interlocked.Increment(ref hits);
            return known;
        }
        Interlocked.Increment(ref misses);
        bool verdict = verify(publicKey, message, signature);
        if (verdicts.TryAdd(digest, verdict) && Interlocked.Increment(ref entries) > Capacity)
        {
            // Counted here rather than by ConcurrentDictionary.Count, which takes every lock of the dictionary.
            verdicts.Clear();
            Interlocked.Exchange(ref entries, 0);
        }
        return verdict;
    }

    /// <summary>
    /// SHA-256 of key ‖ signature ‖ message. Key and signature have fixed lengths, so the concatenation is unambiguous:
    /// two different triples collide only if SHA-256 does.
    /// </summary>
    private readonly record struct TripleDigest(ulong A, ulong B, ulong C, ulong D)
    {
        public static TripleDigest Of(byte[] publicKey, byte[] message, byte[] signature)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(publicKey);
            hash.AppendData(signature);
            hash.AppendData(message);
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return new TripleDigest(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(digest[16..]), BinaryPrimitives.ReadUInt64LittleEndian(digest[24..]));
        }
    }
}
