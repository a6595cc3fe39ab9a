using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// A validator reports another's double signing: {1: chainId, 2: nonce, 3: evidence} where evidence is the
/// canonical <c>DoubleSignEvidence</c> encoding (consensus.md §2.4, [vote A, vote B]).
/// </summary>
public sealed record EvidencePayload(string ChainId, long Nonce, byte[] Evidence) : AdminPayload(ChainId, Nonce)
{
    /// <summary>Two votes with their keys and signatures fit easily; a bound so a report cannot carry bulk.</summary>
    public const int MaxEvidenceBytes = 1024;

    public override TxType Type => TxType.Evidence;
    protected override int FieldCount => 3;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteByteString(Evidence);
    }

    internal static EvidencePayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what);
        byte[] evidence = r.ReadByteString();
        if (evidence.Length > MaxEvidenceBytes) throw new ChainFormatException($"{what}: evidence of {evidence.Length} bytes exceeds {MaxEvidenceBytes}");
        return new EvidencePayload(chainId, nonce, evidence);
    }
}
