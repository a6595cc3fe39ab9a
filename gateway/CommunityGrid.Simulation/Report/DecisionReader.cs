using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Report;

/// <summary>A proposal as the report shows it, read from the chain: what was asked, who said what, how the houses voted, what it did.</summary>
/// <param name="Change">The effect for people, e.g. "pricingMechanism = mmr".</param>
/// <param name="Effect">What happened because of it, e.g. "from 10:15 UTC the intervals settle under mmr (55 intervals)".</param>
public sealed record DecisionRow(
    string ProposalId, string Proposer, string Title, string Kind, string Change, long CreatedMs, long ClosesMs, string Status,
    long Yes, long No, long Abstain, long Electorate, long? EffectiveIntervalStart, string Effect, IReadOnlyList<string> Statements);

/// <summary>Reads every proposal with its statements and effect from a chain store.</summary>
public static class DecisionReader
{
    public static IReadOnlyList<DecisionRow> Read(ChainStore store)
    {
        StateView view = store.State.View();
        var statements = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (StoredTxBytes stored in store.GetTransactionsOfType(TxType.Statement, limit: 10_000))
        {
            var s = (StatementPayload)Transaction.Decode(stored.Bytes).Admin!;
            if (s.ProposalId is null) continue;
            string house = view.Statement(stored.Id)!.HouseId;
            string key = Hashes.Hex(s.ProposalId);
            if (!statements.TryGetValue(key, out List<string>? list)) statements[key] = list = [];
            list.Add($"{house}: {s.Text}");
        }
        var rows = new List<DecisionRow>();
        foreach (KeyValuePair<string, byte[]> entry in view.WithPrefix(GovernanceKeys.ProposalPrefix))
        {
            string id = entry.Key[GovernanceKeys.ProposalPrefix.Length..];
            ProposalRecord p = ProposalRecord.Decode(entry.Value);
            Tally t = p.Tally ?? ProposalClosing.Count(view, Convert.FromHexString(id));
            rows.Add(new DecisionRow(id, p.Proposer, p.Title, p.Effect.Kind.ToString(), Describe(p.Effect), p.CreatedMs, p.ClosesMs,
                StatusText(p.Status), t.Yes, t.No, t.Abstain, t.Electorate, p.EffectiveIntervalStart, Effect(store, view, p),
                statements.GetValueOrDefault(id) ?? []));
        }
        return rows.OrderBy(r => r.CreatedMs).ThenBy(r => r.ProposalId, StringComparer.Ordinal).ToList();
    }

    private static string StatusText(ProposalStatus status) => status switch
    {
        ProposalStatus.Open => "open",
        ProposalStatus.QuorumNotMet => "quorum not met",
        ProposalStatus.Rejected => "rejected",
        ProposalStatus.Passed => "passed",
        ProposalStatus.InEffect => "in effect",
        _ => "not applicable",
    };

    private static string Describe(ProposalEffect effect) => effect switch
    {
        ParameterChangeEffect change => string.Join(", ", change.Changes.Select(c => $"{ParameterNames.NameOf(c.Key)} = {ParameterNames.Render(c)}")),
        SpendingEffect s => $"pay {s.Amount} to {s.Payee} for {s.Purpose}",
        _ => effect.Kind.ToString(),
    };

    private static string Effect(ChainStore store, StateView view, ProposalRecord p)
    {
        if (p.Status != ProposalStatus.InEffect || p.EffectiveIntervalStart is not { } from) return p.Status == ProposalStatus.Open ? "voting" : "none";
        int length = view.Parameters.IntervalSeconds;
        var mechanisms = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int after = 0;
        for (long start = from; start < view.NextInterval; start += length)
        {
            SettlementResult? s = store.GetSettlement(start)?.Result;
            if (s is null) continue;
            after++;
            mechanisms[s.Mechanism] = mechanisms.GetValueOrDefault(s.Mechanism) + 1;
        }
        string time = DateTimeOffset.FromUnixTimeSeconds(from).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        string under = string.Join(", ", mechanisms.Select(m => $"{m.Value} under {m.Key}"));
        return $"in force from the interval starting {time}; {after} interval(s) settled since ({under})";
    }
}
