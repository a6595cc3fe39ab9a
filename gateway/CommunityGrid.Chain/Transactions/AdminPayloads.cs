using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Transactions;

/// <summary>
/// The payload of every administrative (non-reading) transaction: a canonical CBOR map whose keys 1 and 2 are
/// always the chain id and the signer's nonce, followed by the type's own fields from key 3 on.
/// </summary>
public abstract record AdminPayload(string ChainId, long Nonce)
{
    public const int KeySize = 32;

    public abstract TxType Type { get; }

    protected abstract int FieldCount { get; }

    protected abstract void WriteFields(CborWriter writer);

    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(FieldCount);
        w.WriteInt32(1); w.WriteTextString(ChainId);
        w.WriteInt32(2); w.WriteInt64(Nonce);
        WriteFields(w);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <exception cref="ChainFormatException">not the canonical payload of <paramref name="type"/>.</exception>
    public static AdminPayload Decode(TxType type, byte[] payload)
    {
        string what = $"{type} payload";
        return Cbor.Decode(what, payload, reader =>
        {
            int? pairs = reader.ReadStartMap();
            Cbor.ReadKey(reader, 1, what);
            string chainId = reader.ReadTextString();
            Cbor.ReadKey(reader, 2, what);
            long nonce = Cbor.ReadNonNegative(reader, what + " nonce");
            AdminPayload result = type switch
            {
                TxType.EnrolMeter => EnrolMeterPayload.ReadFields(reader, chainId, nonce, what),
                TxType.AdmitMember => AdmitMemberPayload.ReadFields(reader, chainId, nonce, what),
                TxType.Payment => PaymentPayload.ReadFields(reader, chainId, nonce, what),
                TxType.Proposal => ProposalPayload.ReadFields(reader, chainId, nonce, what),
                TxType.Vote => VotePayload.ReadFields(reader, chainId, nonce, what),
                TxType.Statement => StatementPayload.ReadFields(reader, chainId, nonce, what),
                TxType.FundPayout => FundPayoutPayload.ReadFields(reader, chainId, nonce, what),
                TxType.Evidence => EvidencePayload.ReadFields(reader, chainId, nonce, what),
                TxType.Exit => ExitPayload.ReadFields(reader, chainId, nonce, what),
                TxType.ExitSettlement => ExitSettlementPayload.ReadFields(reader, chainId, nonce, what),
                _ => throw new ChainFormatException($"{type} transactions are reserved and not accepted yet"),
            };
            if (pairs != result.FieldCount) throw new ChainFormatException($"{what}: must have exactly {result.FieldCount} entries, got {pairs}");
            reader.ReadEndMap();
            return result;
        });
    }
}

public enum MeterRole
{
    /// <summary>Measures the house's import and export at its grid connection; the only role that settles.</summary>
    ConnectionPoint = 1,
    /// <summary>Measures PV generation; informative.</summary>
    Pv = 2,
}

/// <summary>Installer-signed: binds a meter key and id to a house, with the registers read off the meter at installation.</summary>
public sealed record EnrolMeterPayload(
    string ChainId, long Nonce, string MeterId, byte[] MeterKey, string HouseId, MeterRole Role,
    long InitialImportWh, long InitialExportWh, long InitialPvWh) : AdminPayload(ChainId, Nonce)
{
    public override TxType Type => TxType.EnrolMeter;
    protected override int FieldCount => 9;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteTextString(MeterId);
        w.WriteInt32(4); w.WriteByteString(MeterKey);
        w.WriteInt32(5); w.WriteTextString(HouseId);
        w.WriteInt32(6); w.WriteInt32((int)Role);
        w.WriteInt32(7); w.WriteInt64(InitialImportWh);
        w.WriteInt32(8); w.WriteInt64(InitialExportWh);
        w.WriteInt32(9); w.WriteInt64(InitialPvWh);
    }

    internal static EnrolMeterPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); string meterId = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); byte[] key = Cbor.ReadBytes(r, KeySize, what + " meter key");
        Cbor.ReadKey(r, 5, what); string houseId = r.ReadTextString();
        Cbor.ReadKey(r, 6, what); long role = Cbor.ReadNonNegative(r, what + " role");
        if (role is not ((long)MeterRole.ConnectionPoint or (long)MeterRole.Pv))
        {
            throw new ChainFormatException($"{what}: role must be 1 (connection point) or 2 (PV), got {role}");
        }
        Cbor.ReadKey(r, 7, what); long import = Cbor.ReadNonNegative(r, what + " initial import");
        Cbor.ReadKey(r, 8, what); long export = Cbor.ReadNonNegative(r, what + " initial export");
        Cbor.ReadKey(r, 9, what); long pv = Cbor.ReadNonNegative(r, what + " initial PV");
        return new EnrolMeterPayload(chainId, nonce, meterId, key, houseId, (MeterRole)role, import, export, pv);
    }
}

/// <summary>Treasurer-signed: admits a house as a member with its member key (see docs/chain.md for why the treasurer).</summary>
public sealed record AdmitMemberPayload(string ChainId, long Nonce, string HouseId, byte[] MemberKey) : AdminPayload(ChainId, Nonce)
{
    public override TxType Type => TxType.AdmitMember;
    protected override int FieldCount => 4;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteTextString(HouseId);
        w.WriteInt32(4); w.WriteByteString(MemberKey);
    }

    internal static AdmitMemberPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); string houseId = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); byte[] key = Cbor.ReadBytes(r, KeySize, what + " member key");
        return new AdmitMemberPayload(chainId, nonce, houseId, key);
    }
}

public enum PaymentKind
{
    /// <summary>The house paid money in: its balance rises.</summary>
    Deposit = 1,
    /// <summary>The community paid money out to the house: its balance falls.</summary>
    Payout = 2,
}

/// <summary>Treasurer-signed record of real money moving between a house and the community's account.</summary>
public sealed record PaymentPayload(string ChainId, long Nonce, string HouseId, PaymentKind Kind, long Amount, string Reference)
    : AdminPayload(ChainId, Nonce)
{
    public const int MaxReferenceBytes = 140;
    public override TxType Type => TxType.Payment;
    protected override int FieldCount => 6;

    protected override void WriteFields(CborWriter w) => MoneyMovementFields.Write(w, HouseId, (int)Kind, Amount, Reference);

    internal static PaymentPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        (string houseId, int kind, long amount, string reference) = MoneyMovementFields.Read(r, what, "1 (deposit) or 2 (payout)");
        return new PaymentPayload(chainId, nonce, houseId, (PaymentKind)kind, amount, reference);
    }
}

/// <summary>
/// Fields 3–6 of the treasurer's money records (payment, exit settlement): house id, kind (1 or 2), amount in minor
/// units, reference. One layout, so both decode with the same value rules.
/// </summary>
internal static class MoneyMovementFields
{
    public static void Write(CborWriter w, string houseId, int kind, long amount, string reference)
    {
        w.WriteInt32(3); w.WriteTextString(houseId);
        w.WriteInt32(4); w.WriteInt32(kind);
        w.WriteInt32(5); w.WriteInt64(amount);
        w.WriteInt32(6); w.WriteTextString(reference);
    }

    /// <param name="kinds">What kinds 1 and 2 mean, for the error message.</param>
    public static (string HouseId, int Kind, long Amount, string Reference) Read(CborReader r, string what, string kinds)
    {
        Cbor.ReadKey(r, 3, what); string houseId = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); long kind = Cbor.ReadNonNegative(r, what + " kind");
        if (kind is not (1 or 2)) throw new ChainFormatException($"{what}: kind must be {kinds}, got {kind}");
        Cbor.ReadKey(r, 5, what); long amount = Cbor.ReadNonNegative(r, what + " amount");
        Cbor.ReadKey(r, 6, what); string reference = r.ReadTextString();
        return (houseId, (int)kind, amount, reference);
    }
}
