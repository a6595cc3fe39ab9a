using System.Text.RegularExpressions;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.Governance;

public sealed class GovernanceGenesisTests
{
    [Fact]
    public void A_genesis_file_without_governance_gets_the_default_rules()
    {
        using var c = new TestCommunity();
        string json = Regex.Replace(GenesisFile.ToJson(c.Genesis), "\"governance\": \\{[^}]*\\},", "");
        Assert.DoesNotContain("governance", json);
        GenesisDocument parsed = GenesisFile.Parse(json);
        Assert.Equal(GovernanceRules.Default, parsed.Governance);
        Assert.Equal((604800, 300, 500, 666, 3, 0, MemberAdmission.Treasurer),
            (parsed.Governance.VotingPeriodSeconds, parsed.Governance.QuorumPermille, parsed.Governance.ThresholdPermille,
             parsed.Governance.StrictThresholdPermille, parsed.Governance.MaxOpenProposalsPerHouse, parsed.Governance.EffectDelayIntervals,
             parsed.Governance.MemberAdmission));
    }

    [Fact]
    public void Rules_in_the_genesis_file_reach_the_state_and_the_hash()
    {
        using var c = new TestCommunity();
        string json = GenesisFile.ToJson(c.Genesis).Replace("\"memberAdmission\": \"treasurer\"", "\"memberAdmission\": \"vote\"");
        GenesisDocument vote = GenesisFile.Parse(json);
        Assert.Equal(MemberAdmission.Vote, vote.Governance.MemberAdmission);
        Assert.NotEqual(GenesisCanonical.Hash(c.Genesis), GenesisCanonical.Hash(vote));
        ChainParameters p = ChainState.FromGenesis(vote).View().Parameters;
        Assert.Equal(vote.Governance, p.Governance);
    }

    [Fact]
    public void Broken_rules_are_reported_by_field()
    {
        using var c = new TestCommunity();
        GenesisDocument bad = c.Genesis with
        {
            Governance = new GovernanceRules { VotingPeriodSeconds = 5, QuorumPermille = 1200, ThresholdPermille = 700, StrictThresholdPermille = 600, MaxOpenProposalsPerHouse = 0 },
        };
        string message = Assert.Throws<GenesisException>(() => GenesisCanonical.Require(bad)).Message;
        foreach (string field in new[] { "governance.votingPeriodSeconds", "governance.quorumPermille", "governance.strictThresholdPermille", "governance.maxOpenProposalsPerHouse" })
        {
            Assert.Contains(field, message);
        }
        Assert.Throws<GenesisException>(() => GenesisFile.Parse(GenesisFile.ToJson(c.Genesis).Replace("\"treasurer\"", "\"mayor\"")));
    }
}
