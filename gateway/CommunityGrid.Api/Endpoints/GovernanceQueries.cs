using System;
using System.Collections.Generic;
using System.Globalization;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Http;

namespace CommunityGrid.Api.Endpoints;

/// <summary>GET /proposals, /proposals/{id}, /statements, /fund (docs/api.md "Governance").</summary>
internal static class GovernanceQueries
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxPayouts = 1000;

    public static IResult Proposals(IGatewayBackend backend, IQueryCollection query)
    {
        string filter = query["status"].Count == 0 ? "all" : query["status"].ToString();
        if (filter is not ("all" or "open" or "closed"))
        {
            return Problems.Bad($"query parameter 'status' must be all, open or closed, got '{filter}'");
        }
        List<ProposalSummaryJson> proposals = backend.Read(store =>
        {
            var found = new List<(ProposalRecord Record, byte[] Id)>();
            foreach (KeyValuePair<string, byte[]> entry in store.State.View().WithPrefix(GovernanceKeys.ProposalPrefix))
            {
                ProposalRecord record = ProposalRecord.Decode(entry.Value);
                bool open = record.Status == ProposalStatus.Open;
                if (filter == "all" || (filter == "open") == open) found.Add((record, GovernanceKeys.TrailingId(entry.Key)));
            }
            found.Sort((a, b) => a.Record.CreatedMs != b.Record.CreatedMs ? a.Record.CreatedMs.CompareTo(b.Record.CreatedMs) : Hashes.Compare(a.Id, b.Id));
            return found.ConvertAll(f => GovernanceNames.Summary(f.Id, f.Record));
        });
        return Results.Json(new ProposalsResponse(proposals), ApiJsonContext.Web.ProposalsResponse);
    }

    public static IResult Proposal(IGatewayBackend backend, string idText)
    {
        if (!Parameters.TryHash(idText, out byte[] id)) return Problems.Bad($"a proposal id is its transaction id, 64 hex digits; got '{idText}'");
        ProposalResponse? response = backend.Read(store =>
        {
            StateView view = store.State.View();
            if (view.Proposal(id) is not { } record) return null;
            var text = ((ProposalPayload)Transaction.Decode(store.GetTransaction(id)!.Bytes).Admin!).Text;
            var votes = new List<VoteJson>();
            string prefix = GovernanceKeys.Votes(id);
            foreach (KeyValuePair<string, byte[]> vote in view.WithPrefix(prefix))
            {
                votes.Add(new VoteJson(vote.Key[prefix.Length..], Choice((VoteChoice)StateValues.DecodeInt(vote.Value, "vote"))));
            }
            GovernanceRules rules = view.Parameters.Governance;
            bool strict = EffectRules.NeedsStrictThreshold(record.Effect);
            Tally tally = record.Tally ?? ProposalClosing.Count(view, id);
            return new ProposalResponse(GovernanceNames.Summary(id, record), text, GovernanceNames.Effect(record.Effect),
                strict ? rules.StrictThresholdPermille : rules.ThresholdPermille, rules.QuorumPermille, GovernanceNames.Tally(tally),
                record.Tally is not null, votes, record.Effect is SpendingEffect ? record.Paid : null, store.Height, store.State.TipTimeMs);
        });
        return response is null
            ? Problems.Missing($"no proposal {idText.ToLowerInvariant()} on this chain; `cgrid proposal list` shows the proposals there are")
            : Results.Json(response, ApiJsonContext.Web.ProposalResponse);
    }

    public static IResult Statements(IGatewayBackend backend, IQueryCollection query)
    {
        if (!Parameters.TryQuery(query, "limit", DefaultLimit, 1, MaxLimit, out long limit, out string? error)) return Problems.Bad(error!);
        byte[]? proposal = null;
        if (query["proposal"].Count > 0 && !Parameters.TryHash(query["proposal"].ToString(), out proposal))
        {
            return Problems.Bad($"query parameter 'proposal' must be a proposal id (64 hex digits), got '{query["proposal"]}'");
        }
        (long afterHeight, int afterIndex) = (0, -1);
        if (query["after"].Count > 0 && !TryPosition(query["after"].ToString(), out afterHeight, out afterIndex))
        {
            return Problems.Bad($"query parameter 'after' must be the nextAfter of a previous page (height.index), got '{query["after"]}'");
        }
        StatementsResponse response = backend.Read(store =>
        {
            var statements = new List<StatementJson>();
            long h = afterHeight;
            int i = afterIndex;
            string? nextAfter = null;
            // Pages follow chain order; with a proposal filter a page may hold fewer than limit statements.
            IReadOnlyList<StoredTxBytes> page = store.GetTransactionsOfType(TxType.Statement, h, i, (int)limit);
            foreach (StoredTxBytes stored in page)
            {
                var s = (StatementPayload)Transaction.Decode(stored.Bytes).Admin!;
                if (proposal is not null && (s.ProposalId is null || !Hashes.Equal(s.ProposalId, proposal))) continue;
                StatementRecord record = store.State.View().Statement(stored.Id)!;
                statements.Add(new StatementJson(Hashes.Hex(stored.Id), record.HouseId, s.Text, Hex(s.ProposalId), Hex(s.Follows), stored.Height, stored.BlockTimeMs));
            }
            if (page.Count == limit) nextAfter = page[^1].Height.ToString(CultureInfo.InvariantCulture) + "." + page[^1].Index.ToString(CultureInfo.InvariantCulture);
            return new StatementsResponse(statements, nextAfter);
        });
        return Results.Json(response, ApiJsonContext.Web.StatementsResponse);
    }

    public static IResult Fund(IGatewayBackend backend, IQueryCollection query)
    {
        if (!Parameters.TryQuery(query, "after", -1, 0, long.MaxValue, out long after, out string? error)) return Problems.Bad(error!);
        if (!Parameters.TryQuery(query, "limit", DefaultLimit, 1, MaxLimit, out long limit, out error)) return Problems.Bad(error!);
        FundResponse response = backend.Read(store =>
        {
            StateView view = store.State.View();
            ChainParameters p = view.Parameters;
            var income = new List<FundIncomeJson>();
            foreach (FundIncome i in store.GetFundIncome(after, (int)limit)) income.Add(new FundIncomeJson(i.IntervalStart, i.Amount, i.Height));
            var payouts = new List<FundPayoutJson>();
            foreach (StoredTxBytes stored in store.GetTransactionsOfType(TxType.FundPayout, limit: MaxPayouts))
            {
                var payout = (FundPayoutPayload)Transaction.Decode(stored.Bytes).Admin!;
                var spending = (SpendingEffect)view.Proposal(payout.ProposalId)!.Effect;
                payouts.Add(new FundPayoutJson(Hashes.Hex(stored.Id), Hashes.Hex(payout.ProposalId), payout.Amount, payout.Reference,
                    spending.PayeeKind == PayeeKind.House ? "house" : "external", spending.Payee, spending.Purpose, stored.Height, stored.BlockTimeMs));
            }
            long? nextAfter = income.Count == limit ? income[^1].IntervalStart : null;
            return new FundResponse(view.Fund, p.Currency, p.MinorUnitDigits, income, nextAfter, payouts, store.Height);
        });
        return Results.Json(response, ApiJsonContext.Web.FundResponse);
    }

    public static string Choice(VoteChoice choice) => choice switch
    {
        VoteChoice.Yes => "yes",
        VoteChoice.No => "no",
        _ => "abstain",
    };

    private static string? Hex(byte[]? bytes) => bytes is null ? null : Hashes.Hex(bytes);

    private static bool TryPosition(string text, out long height, out int index)
    {
        (height, index) = (0, -1);
        string[] parts = text.Split('.');
        return parts.Length == 2 && Parameters.TryNonNegative(parts[0], out height)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
