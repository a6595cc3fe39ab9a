using System.Collections.Generic;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;

namespace CommunityGrid.Api.Json;

// Bodies of /proposals, /statements and /fund (docs/api.md, docs/governance.md). Kinds, statuses, choices and
// roles are lowercase words; ids and keys lowercase hex; money minor units.

public sealed record ParameterChangeJson(int Key, string Name, string Value);

/// <summary>The kind-specific part of a proposal; only the fields of its kind are present.</summary>
public sealed record EffectJson(
    IReadOnlyList<ParameterChangeJson>? Changes = null,
    long? Amount = null,
    string? PayeeKind = null,
    string? Payee = null,
    string? Purpose = null,
    string? HouseId = null,
    string? PublicKey = null,
    string? Address = null,
    string? Role = null);

public sealed record TallyJson(long Yes, long No, long Abstain, long Electorate, long Turnout);

public sealed record ProposalSummaryJson(
    string Id,
    string Proposer,
    string Title,
    string Kind,
    string Status,
    long CreatedMs,
    long ClosesMs,
    TallyJson? Tally,
    long? EffectiveIntervalStart);

public sealed record ProposalsResponse(IReadOnlyList<ProposalSummaryJson> Proposals);

public sealed record VoteJson(string HouseId, string Choice);

/// <param name="Tally">The tally recorded at the close; while open, the count so far (<paramref name="Final"/> false).</param>
/// <param name="Threshold">The threshold (permille) that applies: the strict one for rules, members and validators.</param>
/// <param name="Paid">For spending proposals: paid out so far.</param>
public sealed record ProposalResponse(
    ProposalSummaryJson Proposal,
    string Text,
    EffectJson Effect,
    int Threshold,
    int QuorumPermille,
    TallyJson Tally,
    bool Final,
    IReadOnlyList<VoteJson> Votes,
    long? Paid,
    long Height,
    long TipTimeMs);

public sealed record StatementJson(string Id, string HouseId, string Text, string? ProposalId, string? Follows, long Height, long TimeMs);

public sealed record StatementsResponse(IReadOnlyList<StatementJson> Statements, string? NextAfter);

public sealed record FundIncomeJson(long IntervalStart, long Amount, long Height);

public sealed record FundPayoutJson(string TxId, string ProposalId, long Amount, string Reference, string PayeeKind, string Payee, string Purpose, long Height, long TimeMs);

/// <param name="Income">Fund income per closed interval (intervals with none included), ascending, one page.</param>
/// <param name="NextAfter">Give as <c>after</c> for the next page of income, or null at the end.</param>
public sealed record FundResponse(
    long Fund, string Currency, int MinorUnitDigits, IReadOnlyList<FundIncomeJson> Income, long? NextAfter, IReadOnlyList<FundPayoutJson> Payouts, long Height);

public static class GovernanceNames
{
    public static string Kind(ProposalKind kind) => kind switch
    {
        ProposalKind.ParameterChange => "parameters",
        ProposalKind.Spending => "spending",
        ProposalKind.AdmitMember => "admit-member",
        ProposalKind.RemoveMember => "remove-member",
        ProposalKind.AddValidator => "add-validator",
        ProposalKind.RemoveValidator => "remove-validator",
        ProposalKind.AddOfficerKey => "add-officer",
        ProposalKind.RemoveOfficerKey => "remove-officer",
        _ => "resolution",
    };

    public static string Status(ProposalStatus status) => status switch
    {
        ProposalStatus.Open => "open",
        ProposalStatus.QuorumNotMet => "quorum not met",
        ProposalStatus.Rejected => "rejected",
        ProposalStatus.Passed => "passed",
        ProposalStatus.InEffect => "in effect",
        _ => "not applicable",
    };

    public static EffectJson Effect(ProposalEffect effect) => effect switch
    {
        ParameterChangeEffect change => new EffectJson(Changes: change.Changes.ConvertAll(c => new ParameterChangeJson(c.Key, ParameterNames.NameOf(c.Key), ParameterNames.Render(c)))),
        SpendingEffect s => new EffectJson(Amount: s.Amount, PayeeKind: s.PayeeKind == Chain.Governance.PayeeKind.House ? "house" : "external", Payee: s.Payee, Purpose: s.Purpose),
        AdmitMemberEffect a => new EffectJson(HouseId: a.HouseId, PublicKey: Hashes.Hex(a.MemberKey)),
        RemoveMemberEffect r => new EffectJson(HouseId: r.HouseId),
        AddValidatorEffect v => new EffectJson(PublicKey: Hashes.Hex(v.ValidatorKey), Address: v.Address),
        RemoveValidatorEffect v => new EffectJson(PublicKey: Hashes.Hex(v.ValidatorKey)),
        OfficerKeyEffect o => new EffectJson(PublicKey: Hashes.Hex(o.OfficerKey), Role: o.Role == OfficerRole.Installer ? "installer" : "treasurer"),
        _ => new EffectJson(),
    };

    public static TallyJson Tally(Tally t) => new(t.Yes, t.No, t.Abstain, t.Electorate, t.Turnout);

    public static ProposalSummaryJson Summary(byte[] id, ProposalRecord p) => new(
        Hashes.Hex(id), p.Proposer, p.Title, Kind(p.Effect.Kind), Status(p.Status), p.CreatedMs, p.ClosesMs,
        p.Tally is null ? null : Tally(p.Tally), p.EffectiveIntervalStart);
}

internal static class ListExtensions
{
    public static List<TOut> ConvertAll<TIn, TOut>(this IReadOnlyList<TIn> items, System.Func<TIn, TOut> convert)
    {
        var result = new List<TOut>(items.Count);
        foreach (TIn item in items) result.Add(convert(item));
        return result;
    }
}
