using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Globalization;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Governance;

/// <summary>State keys of governance (docs/chain.md §3, docs/governance.md §4). Ids are lowercase hex of tx ids.</summary>
public static class GovernanceKeys
{
    public const string ProposalPrefix = "proposal/";
    public const string VotePrefix = "vote/";
    public const string OpenPrefix = "proposals-open/";
    public const string DuePrefix = "effects-due/";
    public const string StatementPrefix = "statement/";
    public const string ValidatorUpdatePrefix = "validator-update/";

    public static string Proposal(byte[] id) => ProposalPrefix + Hashes.Hex(id);
    public static string Votes(byte[] proposalId) => VotePrefix + Hashes.Hex(proposalId) + "/";
    public static string Vote(byte[] proposalId, string houseId) => Votes(proposalId) + houseId;
    /// <summary>Open proposals ordered by the time they close, so the tally finds the due ones first.</summary>
    public static string Open(long closesMs, byte[] id) => OpenPrefix + Pad(closesMs) + "/" + Hashes.Hex(id);
    /// <summary>Passed proposals whose effect applies when the interval starting at <paramref name="intervalStart"/> is the next to close.</summary>
    public static string Due(long intervalStart, byte[] id) => DuePrefix + Pad(intervalStart) + "/" + Hashes.Hex(id);
    public static string Statement(byte[] id) => StatementPrefix + Hashes.Hex(id);
    public static string ValidatorUpdate(byte[] key) => ValidatorUpdatePrefix + Hashes.Hex(key);

    public static long PaddedNumber(string key, int prefixLength) =>
        long.Parse(key.AsSpan(prefixLength, StateKeys.PadWidth), NumberStyles.None, CultureInfo.InvariantCulture);

    public static byte[] TrailingId(string key) => System.Convert.FromHexString(key[(key.LastIndexOf('/') + 1)..]);

    private static string Pad(long value) => value.ToString("D19", CultureInfo.InvariantCulture);
}

public enum ProposalStatus
{
    Open = 1,
    /// <summary>Closed without enough houses taking part.</summary>
    QuorumNotMet = 2,
    /// <summary>Closed with quorum, but not enough yes votes.</summary>
    Rejected = 3,
    /// <summary>Passed: its effect is scheduled for <see cref="ProposalRecord.EffectiveIntervalStart"/>, or it is a spending
    /// proposal the treasurer may now pay out, a recorded resolution, or a decided validator change.</summary>
    Passed = 4,
    /// <summary>Passed and its effect applied at the interval boundary.</summary>
    InEffect = 5,
    /// <summary>Passed, but when its boundary came the effect could no longer apply (e.g. the house had been admitted meanwhile).</summary>
    NotApplicable = 6,
}

/// <param name="Yes">Yes votes of houses that are members at the close; likewise No, Abstain.</param>
/// <param name="Electorate">Member houses at the close.</param>
public sealed record Tally(long Yes, long No, long Abstain, long Electorate)
{
    public long Turnout => Yes + No + Abstain;
}

/// <summary>A proposal as the state keeps it. The text is only in the proposal transaction.</summary>
public sealed record ProposalRecord(
    string Proposer, string Title, ProposalEffect Effect, long CreatedMs, long ClosesMs, ProposalStatus Status,
    Tally? Tally, long? EffectiveIntervalStart, long Paid)
{
    private const int FieldCount = 10;

    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(FieldCount);
        w.WriteInt32(1); w.WriteTextString(Proposer);
        w.WriteInt32(2); w.WriteTextString(Title);
        w.WriteInt32(3); w.WriteInt32((int)Effect.Kind);
        w.WriteInt32(4); Effect.Write(w);
        w.WriteInt32(5); w.WriteInt64(CreatedMs);
        w.WriteInt32(6); w.WriteInt64(ClosesMs);
        w.WriteInt32(7); w.WriteInt32((int)Status);
        w.WriteInt32(8);
        if (Tally is null) w.WriteNull();
        else
        {
            w.WriteStartArray(4);
            w.WriteInt64(Tally.Yes); w.WriteInt64(Tally.No); w.WriteInt64(Tally.Abstain); w.WriteInt64(Tally.Electorate);
            w.WriteEndArray();
        }
        w.WriteInt32(9);
        if (EffectiveIntervalStart is { } start) w.WriteInt64(start);
        else w.WriteNull();
        w.WriteInt32(10); w.WriteInt64(Paid);
        w.WriteEndMap();
        return w.Encode();
    }

    public static ProposalRecord Decode(byte[] bytes) => Cbor.Decode("proposal record", bytes, r =>
    {
        const string what = "proposal record";
        Cbor.ReadMapHeader(r, FieldCount, what);
        Cbor.ReadKey(r, 1, what); string proposer = r.ReadTextString();
        Cbor.ReadKey(r, 2, what); string title = r.ReadTextString();
        Cbor.ReadKey(r, 3, what); long kind = r.ReadInt64();
        Cbor.ReadKey(r, 4, what); ProposalEffect effect = ProposalEffect.Read(r, kind, what);
        Cbor.ReadKey(r, 5, what); long created = r.ReadInt64();
        Cbor.ReadKey(r, 6, what); long closes = r.ReadInt64();
        Cbor.ReadKey(r, 7, what); var status = (ProposalStatus)r.ReadInt32();
        Cbor.ReadKey(r, 8, what);
        Tally? tally = null;
        if (r.PeekState() == CborReaderState.Null) r.ReadNull();
        else
        {
            r.ReadStartArray();
            tally = new Tally(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
            r.ReadEndArray();
        }
        Cbor.ReadKey(r, 9, what);
        long? effective = null;
        if (r.PeekState() == CborReaderState.Null) r.ReadNull();
        else effective = r.ReadInt64();
        Cbor.ReadKey(r, 10, what); long paid = r.ReadInt64();
        r.ReadEndMap();
        return new ProposalRecord(proposer, title, effect, created, closes, status, tally, effective, paid);
    });
}

/// <summary>Who said it and where it belongs; the text is only in the statement transaction.</summary>
public sealed record StatementRecord(string HouseId, byte[]? ProposalId, byte[]? Follows, long TimeMs)
{
    public byte[] Encode()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartMap(4);
        w.WriteInt32(1); w.WriteTextString(HouseId);
        w.WriteInt32(2); Transactions.StatementPayload.WriteOptionalId(w, ProposalId);
        w.WriteInt32(3); Transactions.StatementPayload.WriteOptionalId(w, Follows);
        w.WriteInt32(4); w.WriteInt64(TimeMs);
        w.WriteEndMap();
        return w.Encode();
    }

    public static StatementRecord Decode(byte[] bytes) => Cbor.Decode("statement record", bytes, r =>
    {
        const string what = "statement record";
        Cbor.ReadMapHeader(r, 4, what);
        Cbor.ReadKey(r, 1, what); string house = r.ReadTextString();
        Cbor.ReadKey(r, 2, what); byte[]? proposal = Transactions.StatementPayload.ReadOptionalId(r, what);
        Cbor.ReadKey(r, 3, what); byte[]? follows = Transactions.StatementPayload.ReadOptionalId(r, what);
        Cbor.ReadKey(r, 4, what); long time = r.ReadInt64();
        r.ReadEndMap();
        return new StatementRecord(house, proposal, follows, time);
    });
}

/// <summary>A validator change decided by a passed proposal, for the consensus to apply two heights later.</summary>
/// <param name="Address">The new validator's address, or null when the validator is removed.</param>
public sealed record ValidatorUpdate(byte[] ValidatorKey, string? Address, byte[] ProposalId)
{
    public byte[] EncodeValue()
    {
        CborWriter w = Cbor.Writer();
        w.WriteStartArray(2);
        if (Address is null) w.WriteNull();
        else w.WriteTextString(Address);
        w.WriteByteString(ProposalId);
        w.WriteEndArray();
        return w.Encode();
    }

    public static ValidatorUpdate Decode(string key, byte[] value) => Cbor.Decode("validator update", value, r =>
    {
        r.ReadStartArray();
        string? address = null;
        if (r.PeekState() == CborReaderState.Null) r.ReadNull();
        else address = r.ReadTextString();
        byte[] proposal = Cbor.ReadBytes(r, Hashes.Size, "validator update proposal id");
        r.ReadEndArray();
        return new ValidatorUpdate(GovernanceKeys.TrailingId(key), address, proposal);
    });

    /// <summary>
    /// The validator changes decided in a block: its state changes under <c>validator-update/</c>. The consensus
    /// applies them to the <c>validator/</c> entries from height H+2 (docs/governance.md §6); this branch only records them.
    /// </summary>
    public static List<ValidatorUpdate> DecidedIn(IReadOnlyList<StateChange> blockChanges)
    {
        var updates = new List<ValidatorUpdate>();
        foreach (StateChange change in blockChanges)
        {
            if (change.Value is not null && change.Key.StartsWith(GovernanceKeys.ValidatorUpdatePrefix, System.StringComparison.Ordinal))
            {
                updates.Add(Decode(change.Key, change.Value));
            }
        }
        return updates;
    }
}
