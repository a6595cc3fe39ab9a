using System.Formats.Cbor;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;

namespace CommunityGrid.Chain.Transactions;

/// <summary>Member-signed: puts a question to the community (docs/governance.md §2). Its tx id is the proposal id.</summary>
public sealed record ProposalPayload(string ChainId, long Nonce, string Title, string Text, ProposalEffect Effect) : AdminPayload(ChainId, Nonce)
{
    public const int MaxTitleBytes = 120;
    public const int MaxTextBytes = 4000;
    public override TxType Type => TxType.Proposal;
    protected override int FieldCount => 6;
    public ProposalKind Kind => Effect.Kind;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteTextString(Title);
        w.WriteInt32(4); w.WriteTextString(Text);
        w.WriteInt32(5); w.WriteInt32((int)Effect.Kind);
        w.WriteInt32(6); Effect.Write(w);
    }

    internal static ProposalPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); string title = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); string text = r.ReadTextString();
        Cbor.ReadKey(r, 5, what); long kind = Cbor.ReadNonNegative(r, what + " kind");
        Cbor.ReadKey(r, 6, what); ProposalEffect effect = ProposalEffect.Read(r, kind, what + " effect");
        return new ProposalPayload(chainId, nonce, title, text, effect);
    }
}

public enum VoteChoice
{
    Yes = 1,
    No = 2,
    Abstain = 3,
}

/// <summary>Member-signed: the house's vote on an open proposal; a later vote of the same house replaces it.</summary>
public sealed record VotePayload(string ChainId, long Nonce, byte[] ProposalId, VoteChoice Choice) : AdminPayload(ChainId, Nonce)
{
    public override TxType Type => TxType.Vote;
    protected override int FieldCount => 4;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteByteString(ProposalId);
        w.WriteInt32(4); w.WriteInt32((int)Choice);
    }

    internal static VotePayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); byte[] proposal = Cbor.ReadBytes(r, Hashes.Size, what + " proposal id");
        Cbor.ReadKey(r, 4, what); long choice = Cbor.ReadNonNegative(r, what + " choice");
        if (choice is < 1 or > 3) throw new ChainFormatException($"{what}: choice must be 1 (yes), 2 (no) or 3 (abstain), got {choice}");
        return new VotePayload(chainId, nonce, proposal, (VoteChoice)choice);
    }
}

/// <summary>
/// Member-signed short public statement, on its own or attached to a proposal; it may follow an earlier statement
/// (a correction or a reply). Statements are never edited: what was said stays, a later one can only follow it.
/// </summary>
public sealed record StatementPayload(string ChainId, long Nonce, string Text, byte[]? ProposalId, byte[]? Follows) : AdminPayload(ChainId, Nonce)
{
    public const int MaxTextBytes = 1000;
    public override TxType Type => TxType.Statement;
    protected override int FieldCount => 5;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteTextString(Text);
        w.WriteInt32(4); WriteOptionalId(w, ProposalId);
        w.WriteInt32(5); WriteOptionalId(w, Follows);
    }

    internal static StatementPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); string text = r.ReadTextString();
        Cbor.ReadKey(r, 4, what); byte[]? proposal = ReadOptionalId(r, what + " proposal id");
        Cbor.ReadKey(r, 5, what); byte[]? follows = ReadOptionalId(r, what + " follows");
        return new StatementPayload(chainId, nonce, text, proposal, follows);
    }

    internal static void WriteOptionalId(CborWriter w, byte[]? id)
    {
        if (id is null) w.WriteNull();
        else w.WriteByteString(id);
    }

    internal static byte[]? ReadOptionalId(CborReader r, string what)
    {
        if (r.PeekState() != CborReaderState.Null) return Cbor.ReadBytes(r, Hashes.Size, what);
        r.ReadNull();
        return null;
    }
}

/// <summary>
/// Treasurer-signed: money paid out of the community fund under a passed spending proposal, to that proposal's
/// payee. The amount may not exceed what the proposal still allows, nor the fund.
/// </summary>
public sealed record FundPayoutPayload(string ChainId, long Nonce, byte[] ProposalId, long Amount, string Reference) : AdminPayload(ChainId, Nonce)
{
    public const int MaxReferenceBytes = 140;
    public override TxType Type => TxType.FundPayout;
    protected override int FieldCount => 5;

    protected override void WriteFields(CborWriter w)
    {
        w.WriteInt32(3); w.WriteByteString(ProposalId);
        w.WriteInt32(4); w.WriteInt64(Amount);
        w.WriteInt32(5); w.WriteTextString(Reference);
    }

    internal static FundPayoutPayload ReadFields(CborReader r, string chainId, long nonce, string what)
    {
        Cbor.ReadKey(r, 3, what); byte[] proposal = Cbor.ReadBytes(r, Hashes.Size, what + " proposal id");
        Cbor.ReadKey(r, 4, what); long amount = Cbor.ReadNonNegative(r, what + " amount");
        Cbor.ReadKey(r, 5, what); string reference = r.ReadTextString();
        return new FundPayoutPayload(chainId, nonce, proposal, amount, reference);
    }
}
