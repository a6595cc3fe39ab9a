using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Governance;

/// <summary>
/// The block-time side of governance: every block, after its transactions, closes the proposals whose voting
/// period has ended at the block time and tallies them; passed changes are scheduled for an interval boundary
/// and applied by <see cref="ApplyDue"/> when the interval closer reaches it (docs/governance.md §3).
/// </summary>
public static class ProposalClosing
{
    public static void CloseDue(StateView state, long blockTimeMs, SettlementCatalog catalog)
    {
        List<KeyValuePair<string, byte[]>> open = state.WithPrefix(GovernanceKeys.OpenPrefix);
        foreach (KeyValuePair<string, byte[]> entry in open)
        {
            if (GovernanceKeys.PaddedNumber(entry.Key, GovernanceKeys.OpenPrefix.Length) > blockTimeMs) break;
            byte[] id = GovernanceKeys.TrailingId(entry.Key);
            state.Overlay.Delete(entry.Key);
            Close(state, id, blockTimeMs, catalog);
        }
    }

    /// <summary>The votes of houses that are members now; a removed house's vote no longer counts.</summary>
    public static Tally Count(StateView state, byte[] proposalId)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, byte[]> m in state.WithPrefix("member/")) members.Add(m.Key["member/".Length..]);
        long yes = 0, no = 0, abstain = 0;
        string prefix = GovernanceKeys.Votes(proposalId);
        foreach (KeyValuePair<string, byte[]> vote in state.WithPrefix(prefix))
        {
            if (!members.Contains(vote.Key[prefix.Length..])) continue;
            switch ((VoteChoice)StateValues.DecodeInt(vote.Value, "vote"))
            {
                case VoteChoice.Yes: yes++; break;
                case VoteChoice.No: no++; break;
                default: abstain++; break;
            }
        }
        return new Tally(yes, no, abstain, members.Count);
    }

    public static bool QuorumMet(Tally t, GovernanceRules rules) => t.Turnout * 1000 >= (long)rules.QuorumPermille * t.Electorate;

    /// <summary>Yes must be more than the threshold's share of yes + no; abstentions count for the quorum only.</summary>
    public static bool ThresholdMet(Tally t, GovernanceRules rules, bool strict) =>
        t.Yes * 1000 > (long)(strict ? rules.StrictThresholdPermille : rules.ThresholdPermille) * (t.Yes + t.No);

    /// <summary>The first interval boundary after the block time, plus the rules' delay.</summary>
    public static long EffectiveIntervalStart(long blockTimeMs, ChainParameters p) =>
        (blockTimeMs / 1000 / p.IntervalSeconds + 1 + p.Governance.EffectDelayIntervals) * p.IntervalSeconds;

    /// <summary>Applies the effects scheduled for boundaries up to <paramref name="nextIntervalStart"/>, earliest first, then by proposal id.</summary>
    public static void ApplyDue(StateView state, long nextIntervalStart, SettlementCatalog catalog)
    {
        foreach (KeyValuePair<string, byte[]> entry in state.WithPrefix(GovernanceKeys.DuePrefix))
        {
            if (GovernanceKeys.PaddedNumber(entry.Key, GovernanceKeys.DuePrefix.Length) > nextIntervalStart) break;
            state.Overlay.Delete(entry.Key);
            byte[] id = GovernanceKeys.TrailingId(entry.Key);
            ProposalRecord proposal = state.Proposal(id)!;
            bool applies = EffectRules.FindProblem(state, proposal.Effect, catalog) is null;
            if (applies) EffectRules.Apply(state, proposal.Effect, id, catalog);
            state.PutProposal(id, proposal with { Status = applies ? ProposalStatus.InEffect : ProposalStatus.NotApplicable });
        }
    }

    private static void Close(StateView state, byte[] id, long blockTimeMs, SettlementCatalog catalog)
    {
        ProposalRecord proposal = state.Proposal(id)!;
        ChainParameters p = state.Parameters;
        Tally tally = Count(state, id);
        ProposalStatus status =
            !QuorumMet(tally, p.Governance) ? ProposalStatus.QuorumNotMet :
            !ThresholdMet(tally, p.Governance, EffectRules.NeedsStrictThreshold(proposal.Effect)) ? ProposalStatus.Rejected :
            ProposalStatus.Passed;
        long? effective = null;
        if (status == ProposalStatus.Passed)
        {
            switch (proposal.Effect)
            {
                case SpendingEffect or ResolutionEffect:
                    break;
                case AddValidatorEffect or RemoveValidatorEffect:
                    // Decided now; the consensus switches the set two heights later (docs/governance.md §6).
                    if (EffectRules.FindProblem(state, proposal.Effect, catalog) is null) EffectRules.Apply(state, proposal.Effect, id, catalog);
                    else status = ProposalStatus.NotApplicable;
                    break;
                default:
                    effective = EffectiveIntervalStart(blockTimeMs, p);
                    state.Overlay.Set(GovernanceKeys.Due(effective.Value, id), StateValues.True());
                    break;
            }
        }
        state.PutProposal(id, proposal with { Status = status, Tally = tally, EffectiveIntervalStart = effective });
    }
}

/// <summary>Typed governance access to the state during a block (kept apart from <see cref="StateView"/> itself).</summary>
public static class GovernanceStateView
{
    public static ProposalRecord? Proposal(this StateView state, byte[] id) =>
        state.Overlay.Get(GovernanceKeys.Proposal(id)) is { } v ? ProposalRecord.Decode(v) : null;

    public static void PutProposal(this StateView state, byte[] id, ProposalRecord record) =>
        state.Overlay.Set(GovernanceKeys.Proposal(id), record.Encode());

    /// <summary>The house a member key belongs to, or null.</summary>
    public static string? HouseOfMemberKey(this StateView state, byte[] key) =>
        state.Overlay.Get(StateKeys.MemberKey(key)) is { } v ? StateValues.DecodeText(v, "member key") : null;

    public static StatementRecord? Statement(this StateView state, byte[] id) =>
        state.Overlay.Get(GovernanceKeys.Statement(id)) is { } v ? StatementRecord.Decode(v) : null;

    internal static TxOutcome Reject(RejectionReason reason, string detail) => TxOutcome.Reject(reason, detail);
}
