using System;
using System.Formats.Cbor;
using System.Security.Cryptography;

namespace CommunityGrid.Consensus.Messages;

/// <summary>
/// Proof that a validator equivocated: two validly signed votes of the same type, height and round
/// for different blocks (nil counts as a block id here). Ordered canonically (nil first, then by block
/// id bytes) so the same offence is the same bytes whichever vote arrived first. Wire: [vote A, vote B].
/// The host records an offence once, keyed by <see cref="OffenceKey"/> (one validator can produce
/// several pairs for one slot by signing three different votes).
/// </summary>
public sealed class DoubleSignEvidence
{
    private const string What = "double-sign evidence";

    private DoubleSignEvidence(SignedVote first, SignedVote second)
    {
        First = first;
        Second = second;
    }

    public SignedVote First { get; }
    public SignedVote Second { get; }

    public byte[] Validator => First.Validator;

    /// <summary>validator key hex / height / round / type: what is recorded at most once on the chain.</summary>
    public string OffenceKey => $"{Convert.ToHexStringLower(First.Validator)}/{First.Height}/{First.Round}/{(int)First.Type}";

    /// <summary>SHA-256 of the encoding.</summary>
    public byte[] Id => SHA256.HashData(Encode());

    /// <summary>The evidence for two votes, or null when they are not an equivocation (different slots or the same block).</summary>
    public static DoubleSignEvidence? TryCreate(SignedVote a, SignedVote b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.SameSlot(b) || BlockId.SameOrBothNil(a.BlockId, b.BlockId)) return null;
        return BlockId.Compare(a.BlockId, b.BlockId) < 0 ? new DoubleSignEvidence(a, b) : new DoubleSignEvidence(b, a);
    }

    /// <summary>True when both signatures verify for this chain: evidence anyone can check without trusting the reporter.</summary>
    public bool Verify(string chainId, ValidatorSet validators) =>
        validators.IndexOf(First.Validator) >= 0 && First.VerifySignature(chainId) && Second.VerifySignature(chainId);

    public byte[] Encode()
    {
        CborWriter writer = Cbor.Writer();
        writer.WriteStartArray(2);
        First.Write(writer);
        Second.Write(writer);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <exception cref="ConsensusFormatException">not two votes of one slot for different blocks in canonical order.</exception>
    public static DoubleSignEvidence Decode(ReadOnlyMemory<byte> bytes) => Cbor.Decode(What, bytes, Read, evidence => evidence.Encode());

    private static DoubleSignEvidence Read(CborReader reader)
    {
        Cbor.ExpectArray(reader, 2, What);
        SignedVote a = SignedVote.Read(reader);
        SignedVote b = SignedVote.Read(reader);
        reader.ReadEndArray();
        return TryCreate(a, b) ?? throw new ConsensusFormatException($"{What}: the two votes are not one validator's votes of one height, round and type for different blocks");
    }
}
