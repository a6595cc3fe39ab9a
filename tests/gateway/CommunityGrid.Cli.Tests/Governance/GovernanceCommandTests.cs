using System.IO;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Cli.Tests.Community;

namespace CommunityGrid.Cli.Tests.Governance;

/// <summary>
/// The governance commands against a gateway that seals every accepted transaction into a block at once (one
/// member house h1, default rules: the vote stays open for a week, so these tests see open proposals).
/// </summary>
public sealed class GovernanceCommandTests(TestGateway gateway) : IClassFixture<TestGateway>
{
    private string MemberKeyPath => Path.Combine(gateway.Directory, "h1-member.key");

    private CgridProcess.Result Cgrid(params string[] args) => CgridProcess.Run(null, args);

    private CgridProcess.Result Propose(params string[] args) =>
        Cgrid(["proposal", "new", "--gateway", gateway.Url, "--member-key", MemberKeyPath, .. args]);

    [Fact]
    public async Task A_member_proposes_votes_states_and_reads_it_all_back()
    {
        CgridProcess.Result made = Propose("--title", "Trade among ourselves", "--text", "SDR keeps the money in the street.",
            "--kind", "parameters", "--set", "pricingMechanism=sdr", "--set", "retailPrice=310");
        Assert.True(made.ExitCode == 0, made.Stderr);
        string id = made.Stdout.Trim();

        CgridProcess.Result vote = Cgrid("vote", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--proposal", id, "--choice", "yes");
        Assert.True(vote.ExitCode == 0, vote.Stderr);
        CgridProcess.Result statement = Cgrid("statement", "post", "--gateway", gateway.Url, "--member-key", MemberKeyPath,
            "--proposal", id, "--text", "See last June's simulation.");
        Assert.True(statement.ExitCode == 0, statement.Stderr);
        string statementId = statement.Stdout.Trim();
        CgridProcess.Result followup = Cgrid("statement", "post", "--gateway", gateway.Url, "--member-key", MemberKeyPath,
            "--follows", statementId, "--text", "Correction: last July.");
        Assert.True(followup.ExitCode == 0, followup.Stderr);

        ProposalResponse p = await gateway.WaitForAsync("/proposals/" + id, ApiJsonContext.Default.ProposalResponse);
        Assert.Equal(("open", "h1", 1L), (p.Proposal.Status, p.Proposal.Proposer, p.Tally.Yes));

        CgridProcess.Result list = Cgrid("proposal", "list", "--gateway", gateway.Url, "--status", "open");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(id, list.Stdout);
        Assert.Contains("Trade among ourselves", list.Stdout);

        CgridProcess.Result show = Cgrid("proposal", "show", id, "--gateway", gateway.Url);
        Assert.Equal(0, show.ExitCode);
        foreach (string expected in new[] { "pricingMechanism = sdr", "retailPrice = 310", "vote       h1: yes", "so far", "SDR keeps the money" })
        {
            Assert.Contains(expected, show.Stdout);
        }

        CgridProcess.Result statements = Cgrid("statement", "list", "--gateway", gateway.Url);
        Assert.Equal(0, statements.ExitCode);
        Assert.Contains("See last June's simulation.", statements.Stdout);
        Assert.Contains("following " + statementId[..12], statements.Stdout);
    }

    [Theory]
    [InlineData("--kind", "lottery", "--title", "x")]
    [InlineData("--kind", "parameters", "--title", "x", "--set", "colour=blue")]
    [InlineData("--kind", "parameters", "--title", "x")]
    [InlineData("--kind", "spending", "--title", "x", "--amount", "100", "--purpose", "battery")]
    [InlineData("--kind", "admit-member", "--title", "x", "--house", "h9", "--public-key", "00")]
    [InlineData("--kind", "add-officer", "--title", "x", "--public-key", "0000000000000000000000000000000000000000000000000000000000000001", "--role", "mayor")]
    [InlineData("--kind", "resolution", "--title", "")]
    [InlineData("--kind", "spending", "--title", "x", "--amount", "25.005", "--payee-house", "h1", "--purpose", "battery")]
    [InlineData("--kind", "spending", "--title", "x", "--amount", "900,00", "--payee-house", "h1", "--purpose", "battery")]
    public void Malformed_proposals_are_refused_with_exit_2_before_anything_is_sent(params string[] args)
    {
        CgridProcess.Result result = Propose(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr);
    }

    [Fact]
    public void A_proposal_the_chain_refuses_fails_with_exit_1_and_the_reason()
    {
        CgridProcess.Result result = Propose("--kind", "spending", "--title", "A battery", "--amount", "90000",
            "--payee-external", "Batteries Ltd", "--purpose", "storage");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FundInsufficient", result.Stderr);
    }

    [Fact]
    public void A_key_that_is_not_a_member_cannot_propose()
    {
        CgridProcess.Result result = Cgrid("proposal", "new", "--gateway", gateway.Url, "--member-key", gateway.TreasurerKeyPath,
            "--kind", "resolution", "--title", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not hold the member role", result.Stderr);
    }

    [Fact]
    public void Votes_and_payouts_name_what_is_wrong()
    {
        Assert.Equal(2, Cgrid("vote", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--proposal", "abc", "--choice", "yes").ExitCode);
        Assert.Equal(2, Cgrid("vote", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--proposal", new string('a', 64), "--choice", "maybe").ExitCode);
        CgridProcess.Result unknown = Cgrid("vote", "--gateway", gateway.Url, "--member-key", MemberKeyPath, "--proposal", new string('a', 64), "--choice", "no");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("UnknownProposal", unknown.Stderr);
        CgridProcess.Result payout = Cgrid("fund", "payout", "--gateway", gateway.Url, "--treasurer-key", gateway.TreasurerKeyPath,
            "--proposal", new string('b', 64), "--amount", "5", "--reference", "bank");
        Assert.Equal(1, payout.ExitCode);
        Assert.Contains("UnknownProposal", payout.Stderr);
        CgridProcess.Result cents = Cgrid("fund", "payout", "--gateway", gateway.Url, "--treasurer-key", gateway.TreasurerKeyPath,
            "--proposal", new string('b', 64), "--amount", "5.001", "--reference", "bank");
        Assert.Equal(2, cents.ExitCode);
        Assert.Contains("--amount 5.001 has 3 decimal(s), but EUR amounts have 2", cents.Stderr);
        CgridProcess.Result spendCents = Propose("--kind", "spending", "--title", "x", "--amount", "0.005", "--payee-house", "h1", "--purpose", "battery");
        Assert.Equal(2, spendCents.ExitCode);
        Assert.Contains("--amount 0.005 has 3 decimal(s)", spendCents.Stderr);
        CgridProcess.Result missing = Cgrid("proposal", "show", new string('c', 64), "--gateway", gateway.Url);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("404", missing.Stderr);
    }

    [Fact]
    public void The_fund_history_starts_empty()
    {
        CgridProcess.Result history = Cgrid("fund", "history", "--gateway", gateway.Url);
        Assert.True(history.ExitCode == 0, history.Stderr);
        Assert.Contains("fund       0", history.Stdout);
        Assert.Contains("income     total 0", history.Stdout);
    }
}
