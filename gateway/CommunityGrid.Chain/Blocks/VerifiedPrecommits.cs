using System;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// The precommit signatures of the last commit certificates one chain state checked, so that a signature held by both
/// block h's own commit and the copy block h+1 carries (chain.md §6) is verified once (issue 18: replaying a chain
/// verified every commit signature twice). Only signatures that verified are kept, as the exact (validator key,
/// signed bytes, signature) triple: Ed25519's verdict is a function of those bytes alone, so a match is the same
/// verdict, and anything else (another round, another block, another quorum's signer) is verified afresh.
/// </summary>
/// <remarks>
/// Holds <see cref="Capacity"/> triples, oldest dropped first: two certificates of a set of up to 32 validators, more
/// than any community runs. A bigger set only verifies some carried signatures again. Not thread-safe: one per
/// <see cref="State.ChainState"/>, which has one owner.
/// </remarks>
public sealed class VerifiedPrecommits
{
    public const int Capacity = 64;

    private readonly Triple?[] ring = new Triple?[Capacity];
    private int next;

    /// <summary>Signatures actually verified with Ed25519.</summary>
    public long Verifications { get; private set; }

    /// <summary>Signatures found among those that verified before.</summary>
    public long Hits { get; private set; }

    /// <summary>Whether <paramref name="signature"/> by <paramref name="key"/> over <paramref name="signedBytes"/> verifies (remembered when it does).</summary>
    public bool Check(byte[] key, byte[] signedBytes, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signedBytes);
        ArgumentNullException.ThrowIfNull(signature);
        foreach (Triple? known in ring)
        {
            if (known is not null && known.Is(key, signedBytes, signature))
            {
                Hits++;
                return true;
            }
        }
        Verifications++;
        if (!Ed25519Verifier.Verify(key, signedBytes, signature)) return false;
        // Copies: what was verified must stay what is compared, whatever happens to the caller's arrays.
        ring[next] = new Triple((byte[])key.Clone(), (byte[])signedBytes.Clone(), (byte[])signature.Clone());
        next = (next + 1) % Capacity;
        return true;
    }

    private sealed record Triple(byte[] Key, byte[] SignedBytes, byte[] Signature)
    {
        public bool Is(byte[] key, byte[] signedBytes, byte[] signature) =>
            Signature.AsSpan().SequenceEqual(signature) && Key.AsSpan().SequenceEqual(key) && SignedBytes.AsSpan().SequenceEqual(signedBytes);
    }
}
