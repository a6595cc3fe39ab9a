using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// Member-signed: the house leaves this community for <see cref="NewChainId"/> from the interval starting at
/// <see cref="ExitIntervalStart"/> (Unix seconds). No vote of the others is needed: the right to leave is each
/// house's own (docs/breakaway.md §2).
/// </summary>
public sealed record ExitPayload(string ChainId, long Nonce, string NewChainId, long ExitIntervalStart) : AdminPayload(ChainId, Nonce)
{
    public override TxType Type => TxType.Exit;
    protected override int FieldCount => 4;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteTextString(NewChainId);
        w.WriteInt32(4); w.WriteInt64(ExitIntervalStart);
    }

    internal static ExitPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); string newChain = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); long start = Cbor.ReadNonNegative(r, what + " exit interval start");
        return new ExitPayload(chainId, nonce, newChain, start);
    }
}

public enum ExitSettlementKind
{
    /// <summary>The community paid the leaver what it was owed: the open amount falls.</summary>
    PaidToHouse = 1,
    /// <summary>The leaver paid the community what it owed: the open amount rises towards zero.</summary>
    ReceivedFromHouse = 2,
}

/// <summary>Treasurer-signed record of real money moving to settle a leaver's exit record, until it is closed.</summary>
public sealed record ExitSettlementPayload(string ChainId, long Nonce, string HouseId, ExitSettlementKind Kind, long Amount, string Reference)
    : AdminPayload(ChainId, Nonce)
{
    public const int MaxReferenceBytes = 140;
    public override TxType Type => TxType.ExitSettlement;
    protected override int FieldCount => 6;

    protected override void WriteFields(CborWriter w) => MoneyMovementFields.Write(w, HouseId, (int)Kind, Amount, Reference);

    internal static ExitSettlementPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        (string houseId, int kind, long amount, string reference) =
            MoneyMovementFields.Read(r, what, "1 (paid to the house) or 2 (received from the house)");
        return new ExitSettlementPayload(chainId, nonce, houseId, (ExitSettlementKind)kind, amount, reference);
    }
}
