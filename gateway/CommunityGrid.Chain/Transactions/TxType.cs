using System;
using CommunityGrid.Formats.Cose;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// Transaction types. The code is what storage and the API use; on the wire the type is the COSE content type
/// (protected header label 3), which is signed, so a signature for one type can never pass as another.
/// Code 7 (split) is reserved and rejected; 5, 6, 8 and 9 are governance (docs/governance.md); 10 is consensus
/// evidence (docs/consensus.md §2.4); 12 and 13 are a house's exit and the treasurer's settling of it (docs/breakaway.md).
/// </summary>
public enum TxType
{
    Reading = 1,
    EnrolMeter = 2,
    AdmitMember = 3,
    Payment = 4,
    Proposal = 5,
    Vote = 6,
    Split = 7,
    Statement = 8,
    FundPayout = 9,
    /// <summary>Double-sign evidence against a validator, reported by a validator (docs/consensus.md §2.4).</summary>
    Evidence = 10,
    Exit = 12,
    ExitSettlement = 13,
}

public static class TxContentTypes
{
    private const string Prefix = "application/vnd.communitygrid.tx.";
    public const string EnrolMeter = Prefix + "enrol-meter+cbor";
    public const string AdmitMember = Prefix + "admit-member+cbor";
    public const string Payment = Prefix + "payment+cbor";
    public const string Proposal = Prefix + "proposal+cbor";
    public const string Vote = Prefix + "vote+cbor";
    public const string Split = Prefix + "split+cbor";
    public const string Statement = Prefix + "statement+cbor";
    public const string FundPayout = Prefix + "fund-payout+cbor";
    public const string Evidence = Prefix + "evidence+cbor";
    public const string Exit = Prefix + "exit+cbor";
    public const string ExitSettlement = Prefix + "exit-settlement+cbor";

    public static string Of(TxType type) => type switch
    {
        TxType.Reading => ContentTypes.Reading,
        TxType.EnrolMeter => EnrolMeter,
        TxType.AdmitMember => AdmitMember,
        TxType.Payment => Payment,
        TxType.Proposal => Proposal,
        TxType.Vote => Vote,
        TxType.Split => Split,
        TxType.Statement => Statement,
        TxType.FundPayout => FundPayout,
        TxType.Evidence => Evidence,
        TxType.Exit => Exit,
        TxType.ExitSettlement => ExitSettlement,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no such transaction type"),
    };

    public static TxType? TypeOf(string contentType)
    {
        foreach (TxType type in Enum.GetValues<TxType>())
        {
            if (Of(type) == contentType) return type;
        }
        return null;
    }
}
