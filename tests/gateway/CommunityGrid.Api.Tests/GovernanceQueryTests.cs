using System.Linq;
using System.Net;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Api.Tests;

public sealed class GovernanceQueryTests(GovernanceGateway gateway) : IClassFixture<GovernanceGateway>
{
    private string Hex(byte[] id) => Hashes.Hex(id);

    [Fact]
    public void Proposals_are_listed_in_creation_order_and_filter_by_status()
    {
        ProposalsResponse all = Http.Get(gateway.Server.Client, "/proposals", ApiJsonContext.Default.ProposalsResponse);
        Assert.Equal(3, all.Proposals.Count);
        Assert.Equal(Hex(GovernanceSigning.Id(gateway.Resolution)), all.Proposals[^1].Id);
        Assert.True(all.Proposals.Select(p => p.CreatedMs).SequenceEqual(all.Proposals.Select(p => p.CreatedMs).Order()));
        ProposalSummaryJson price = all.Proposals.Single(p => p.Id == Hex(gateway.PriceId));
        Assert.Equal(("h2", "Retail 3.10", "parameters", "in effect", TestCommunity.IntervalStart(2)), (price.Proposer, price.Title, price.Kind, price.Status, price.EffectiveIntervalStart!.Value));

        ProposalsResponse open = Http.Get(gateway.Server.Client, "/proposals?status=open", ApiJsonContext.Default.ProposalsResponse);
        Assert.Equal("resolution", Assert.Single(open.Proposals).Kind);
        Assert.Equal(2, Http.Get(gateway.Server.Client, "/proposals?status=closed", ApiJsonContext.Default.ProposalsResponse).Proposals.Count);
        Assert.Contains("all, open or closed", Http.GetProblem(gateway.Server.Client, "/proposals?status=maybe", HttpStatusCode.BadRequest).Detail);
    }

    [Fact]
    public void A_closed_proposal_shows_its_text_effect_public_votes_final_tally_and_payouts()
    {
        ProposalResponse p = Http.Get(gateway.Server.Client, "/proposals/" + Hex(gateway.BatteryId), ApiJsonContext.Default.ProposalResponse);
        Assert.Equal(("For the street.", "passed", true, 150L), (p.Text, p.Proposal.Status, p.Final, p.Paid!.Value));
        Assert.Equal((150L, "external", "Batteries Ltd", "shared battery"), (p.Effect.Amount!.Value, p.Effect.PayeeKind, p.Effect.Payee, p.Effect.Purpose));
        Assert.Equal(new TallyJson(2, 1, 0, 3, 3), p.Tally);
        Assert.Equal([("h1", "yes"), ("h2", "no"), ("h3", "yes")], p.Votes.Select(v => (v.HouseId, v.Choice)));
        Assert.Equal((500, 300), (p.Threshold, p.QuorumPermille));

        ProposalResponse price = Http.Get(gateway.Server.Client, "/proposals/" + Hex(gateway.PriceId), ApiJsonContext.Default.ProposalResponse);
        ParameterChangeJson change = Assert.Single(price.Effect.Changes!);
        Assert.Equal((7, "retailPrice", "310"), (change.Key, change.Name, change.Value));
        Assert.Null(price.Paid);
    }

    [Fact]
    public void An_open_proposal_shows_the_count_so_far()
    {
        ProposalResponse p = Http.Get(gateway.Server.Client, "/proposals/" + Hex(GovernanceSigning.Id(gateway.Resolution)), ApiJsonContext.Default.ProposalResponse);
        Assert.False(p.Final);
        Assert.Equal(new TallyJson(0, 0, 1, 3, 1), p.Tally);
        Assert.Null(p.Proposal.Tally);
    }

    [Fact]
    public void Unknown_and_malformed_proposal_ids()
    {
        Assert.Contains("cgrid proposal list", Http.GetProblem(gateway.Server.Client, "/proposals/" + new string('a', 64), HttpStatusCode.NotFound).Detail);
        Assert.Contains("64 hex digits", Http.GetProblem(gateway.Server.Client, "/proposals/xyz", HttpStatusCode.BadRequest).Detail);
    }

    [Fact]
    public void Statements_list_in_chain_order_by_proposal_and_page()
    {
        StatementsResponse all = Http.Get(gateway.Server.Client, "/statements", ApiJsonContext.Default.StatementsResponse);
        Assert.Equal([Hex(GovernanceSigning.Id(gateway.Statement)), Hex(GovernanceSigning.Id(gateway.Followup)), Hex(GovernanceSigning.Id(gateway.Standalone))],
            all.Statements.Select(s => s.Id));
        StatementJson followup = all.Statements[1];
        Assert.Equal(("h1", "The supplier, for ten years.", Hex(gateway.BatteryId), Hex(GovernanceSigning.Id(gateway.Statement))),
            (followup.HouseId, followup.Text, followup.ProposalId, followup.Follows));
        Assert.Null(all.NextAfter);

        StatementsResponse onBattery = Http.Get(gateway.Server.Client, "/statements?proposal=" + Hex(gateway.BatteryId), ApiJsonContext.Default.StatementsResponse);
        Assert.Equal(2, onBattery.Statements.Count);

        StatementsResponse first = Http.Get(gateway.Server.Client, "/statements?limit=2", ApiJsonContext.Default.StatementsResponse);
        StatementsResponse rest = Http.Get(gateway.Server.Client, "/statements?after=" + first.NextAfter, ApiJsonContext.Default.StatementsResponse);
        Assert.Equal(all.Statements.Select(s => s.Id), first.Statements.Concat(rest.Statements).Select(s => s.Id));
        Assert.Contains("'after'", Http.GetProblem(gateway.Server.Client, "/statements?after=x", HttpStatusCode.BadRequest).Detail);
    }

    [Fact]
    public void Governance_transactions_are_served_by_id_with_their_type()
    {
        TransactionResponse statement = Http.Get(gateway.Server.Client, "/transactions/" + Hex(GovernanceSigning.Id(gateway.Statement)), ApiJsonContext.Default.TransactionResponse);
        Assert.Equal(("statement", 8), (statement.Type, statement.TypeCode));
        TransactionResponse proposal = Http.Get(gateway.Server.Client, "/transactions/" + Hex(gateway.BatteryId), ApiJsonContext.Default.TransactionResponse);
        Assert.Equal(("proposal", 5), (proposal.Type, proposal.TypeCode));
        string payoutId = Http.Get(gateway.Server.Client, "/fund", ApiJsonContext.Default.FundResponse).Payouts[0].TxId;
        Assert.Equal("fund-payout", Http.Get(gateway.Server.Client, "/transactions/" + payoutId, ApiJsonContext.Default.TransactionResponse).Type);
    }

    [Fact]
    public void The_fund_history_has_income_per_interval_and_every_payout_with_its_proposal()
    {
        FundResponse fund = Http.Get(gateway.Server.Client, "/fund", ApiJsonContext.Default.FundResponse);
        Assert.Equal(50, fund.Fund);
        Assert.Equal([200L, 0L], fund.Income.Select(i => i.Amount));
        Assert.Equal(fund.Fund, fund.Income.Sum(i => i.Amount) - fund.Payouts.Sum(p => p.Amount));
        Assert.Equal([(100L, "bank 1"), (50L, "bank 2")], fund.Payouts.Select(p => (p.Amount, p.Reference)));
        Assert.All(fund.Payouts, p => Assert.Equal((Hex(gateway.BatteryId), "Batteries Ltd", "shared battery"), (p.ProposalId, p.Payee, p.Purpose)));

        FundResponse page = Http.Get(gateway.Server.Client, "/fund?limit=1", ApiJsonContext.Default.FundResponse);
        Assert.Equal(fund.Income[0].IntervalStart, page.NextAfter);
        FundResponse next = Http.Get(gateway.Server.Client, $"/fund?after={page.NextAfter}", ApiJsonContext.Default.FundResponse);
        Assert.Equal(fund.Income.Skip(1).Select(i => i.IntervalStart), next.Income.Select(i => i.IntervalStart));
    }
}
