using System.Collections.Generic;
using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;

namespace CommunityGrid.Chain.Governance;

/// <summary>What a proposal asks for; the code is payload key 5 (docs/governance.md §2).</summary>
public enum ProposalKind
{
    ParameterChange = 1,
    Spending = 2,
    AdmitMember = 3,
    RemoveMember = 4,
    AddValidator = 5,
    RemoveValidator = 6,
    AddOfficerKey = 7,
    RemoveOfficerKey = 8,
    Resolution = 9,
}

public enum OfficerRole
{
    Installer = 1,
    Treasurer = 2,
}

public enum PayeeKind
{
    /// <summary>A member house, by house id.</summary>
    House = 1,
    /// <summary>Someone outside the chain (a supplier, a bank account), by a free-text reference.</summary>
    External = 2,
}

/// <summary>The kind-specific part of a proposal (payload key 6), a canonical CBOR map.</summary>
public abstract record ProposalEffect
{
    public abstract ProposalKind Kind { get; }

    public abstract void Write(CborWriter w);

    internal static ProposalEffect Read(CborReader r, long kind, string what)
    {
        int pairs = r.ReadStartMap() ?? throw new ChainFormatException($"{what}: indefinite-length map");
        ProposalEffect effect = kind switch
        {
            (long)ProposalKind.ParameterChange => ParameterChangeEffect.ReadEntries(r, pairs, what),
            (long)ProposalKind.Spending => Expect(pairs, 4, what, () => SpendingEffect.ReadEntries(r, what)),
            (long)ProposalKind.AdmitMember => Expect(pairs, 2, what, () => new AdmitMemberEffect(ReadText(r, 1, what), ReadKey(r, 2, what))),
            (long)ProposalKind.RemoveMember => Expect(pairs, 1, what, () => new RemoveMemberEffect(ReadText(r, 1, what))),
            (long)ProposalKind.AddValidator => Expect(pairs, 2, what, () => new AddValidatorEffect(ReadKey(r, 1, what), ReadText(r, 2, what))),
            (long)ProposalKind.RemoveValidator => Expect(pairs, 1, what, () => new RemoveValidatorEffect(ReadKey(r, 1, what))),
            (long)ProposalKind.AddOfficerKey or (long)ProposalKind.RemoveOfficerKey =>
                Expect(pairs, 2, what, () => new OfficerKeyEffect(kind == (long)ProposalKind.AddOfficerKey, ReadRole(r, what), ReadKey(r, 2, what))),
            (long)ProposalKind.Resolution => Expect(pairs, 0, what, () => new ResolutionEffect()),
            _ => throw new ChainFormatException($"{what}: kind {kind} is not a proposal kind (1..9)"),
        };
        r.ReadEndMap();
        return effect;
    }

    private static ProposalEffect Expect(int pairs, int expected, string what, System.Func<ProposalEffect> read) =>
        pairs == expected ? read() : throw new ChainFormatException($"{what}: must be a map of {expected} entries, got {pairs}");

    private static string ReadText(CborReader r, ulong key, string what)
    {
        Cbor.ReadKey(r, key, what);
        return r.ReadTextString();
    }

    private static byte[] ReadKey(CborReader r, ulong key, string what)
    {
        Cbor.ReadKey(r, key, what);
        return Cbor.ReadBytes(r, Hashes.Size, what + " key");
    }

    private static OfficerRole ReadRole(CborReader r, string what)
    {
        Cbor.ReadKey(r, 1, what);
        long role = Cbor.ReadNonNegative(r, what + " role");
        if (role is not (1 or 2)) throw new ChainFormatException($"{what}: role must be 1 (installer) or 2 (treasurer), got {role}");
        return (OfficerRole)role;
    }

    protected static void WriteTextEntry(CborWriter w, int key, string value)
    {
        w.WriteInt32(key);
        w.WriteTextString(value);
    }

    protected static void WriteBytesEntry(CborWriter w, int key, byte[] value)
    {
        w.WriteInt32(key);
        w.WriteByteString(value);
    }
}

/// <summary>One parameters-map entry to replace: its key and its new value as one canonical CBOR item.</summary>
public sealed record ParameterValue(int Key, byte[] EncodedValue);

/// <summary>Replaces some entries of the parameters map; the others keep whatever value is in force when it applies.</summary>
public sealed record ParameterChangeEffect(IReadOnlyList<ParameterValue> Changes) : ProposalEffect
{
    public const int MaxChanges = 32;
    public override ProposalKind Kind => ProposalKind.ParameterChange;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(Changes.Count);
        foreach (ParameterValue change in Changes)
        {
            w.WriteInt32(change.Key);
            w.WriteEncodedValue(change.EncodedValue);
        }
        w.WriteEndMap();
    }

    internal static ParameterChangeEffect ReadEntries(CborReader r, int pairs, string what)
    {
        if (pairs is < 1 or > MaxChanges) throw new ChainFormatException($"{what}: must change 1..{MaxChanges} parameters, got {pairs}");
        var changes = new List<ParameterValue>(pairs);
        long previous = 0;
        for (int i = 0; i < pairs; i++)
        {
            long key = Cbor.ReadNonNegative(r, what + " parameter key");
            if (key <= previous || key > 255) throw new ChainFormatException($"{what}: parameter keys must ascend and be 1..255, got {key} after {previous}");
            previous = key;
            changes.Add(new ParameterValue((int)key, r.ReadEncodedValue().ToArray()));
        }
        return new ParameterChangeEffect(changes);
    }

    /// <summary>Whether it touches the voting rules themselves, which only the strict threshold may change.</summary>
    public bool ChangesRules()
    {
        foreach (ParameterValue change in Changes) if (change.Key >= GovernanceRules.FirstKey) return true;
        return false;
    }
}

public sealed record SpendingEffect(long Amount, PayeeKind PayeeKind, string Payee, string Purpose) : ProposalEffect
{
    public const int MaxPayeeBytes = 140;
    public const int MaxPurposeBytes = 140;
    public override ProposalKind Kind => ProposalKind.Spending;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(4);
        w.WriteInt32(1); w.WriteInt64(Amount);
        w.WriteInt32(2); w.WriteInt32((int)PayeeKind);
        WriteTextEntry(w, 3, Payee);
        WriteTextEntry(w, 4, Purpose);
        w.WriteEndMap();
    }

    internal static SpendingEffect ReadEntries(CborReader r, string what)
    {
        Cbor.ReadKey(r, 1, what); long amount = Cbor.ReadNonNegative(r, what + " amount");
        Cbor.ReadKey(r, 2, what); long payeeKind = Cbor.ReadNonNegative(r, what + " payee kind");
        if (payeeKind is not (1 or 2)) throw new ChainFormatException($"{what}: payee kind must be 1 (house) or 2 (external), got {payeeKind}");
        Cbor.ReadKey(r, 3, what); string payee = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); string purpose = r.ReadTextString();
        return new SpendingEffect(amount, (PayeeKind)payeeKind, payee, purpose);
    }
}

public sealed record AdmitMemberEffect(string HouseId, byte[] MemberKey) : ProposalEffect
{
    public override ProposalKind Kind => ProposalKind.AdmitMember;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(2);
        WriteTextEntry(w, 1, HouseId);
        WriteBytesEntry(w, 2, MemberKey);
        w.WriteEndMap();
    }
}

public sealed record RemoveMemberEffect(string HouseId) : ProposalEffect
{
    public override ProposalKind Kind => ProposalKind.RemoveMember;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(1);
        WriteTextEntry(w, 1, HouseId);
        w.WriteEndMap();
    }
}

public sealed record AddValidatorEffect(byte[] ValidatorKey, string Address) : ProposalEffect
{
    public override ProposalKind Kind => ProposalKind.AddValidator;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(2);
        WriteBytesEntry(w, 1, ValidatorKey);
        WriteTextEntry(w, 2, Address);
        w.WriteEndMap();
    }
}

public sealed record RemoveValidatorEffect(byte[] ValidatorKey) : ProposalEffect
{
    public override ProposalKind Kind => ProposalKind.RemoveValidator;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(1);
        WriteBytesEntry(w, 1, ValidatorKey);
        w.WriteEndMap();
    }
}

/// <summary>Adds (kind 7) or removes (kind 8) an installer or treasurer key.</summary>
public sealed record OfficerKeyEffect(bool Add, OfficerRole Role, byte[] OfficerKey) : ProposalEffect
{
    public override ProposalKind Kind => Add ? ProposalKind.AddOfficerKey : ProposalKind.RemoveOfficerKey;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(2);
        w.WriteInt32(1); w.WriteInt32((int)Role);
        WriteBytesEntry(w, 2, OfficerKey);
        w.WriteEndMap();
    }
}

/// <summary>A decision with no automatic effect: the community's answer is recorded, nothing else changes.</summary>
public sealed record ResolutionEffect : ProposalEffect
{
    public override ProposalKind Kind => ProposalKind.Resolution;

    public override void Write(CborWriter w)
    {
        w.WriteStartMap(0);
        w.WriteEndMap();
    }
}
