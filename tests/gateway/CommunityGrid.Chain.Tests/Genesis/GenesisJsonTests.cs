using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.Genesis;

/// <summary>
/// The genesis file goes through a source-generated JSON context (a trimmed cgrid has no reflection-based JSON); it
/// must read and write files exactly as the reflection-based serializer with the former options did.
/// </summary>
public sealed class GenesisJsonTests
{
    /// <summary>What <see cref="GenesisFile"/> used before the source-generated context.</summary>
    private static readonly JsonSerializerOptions ReflectionOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static readonly string[] OptionalFields =
        ["intervalSeconds", "graceSeconds", "futureToleranceSeconds", "retentionSeconds", "pricingMechanism",
         "fundSharePermille", "maxConnectionPowerW", "governance", "exitFundSharePermille"];

    [Fact]
    public void Every_omitted_optional_field_takes_its_default()
    {
        using var c = new TestCommunity(fundSharePermille: 250, exitFundSharePermille: 300,
            governance: new GovernanceRules { QuorumPermille = 400, MemberAdmission = MemberAdmission.Vote });
        var json = JsonNode.Parse(GenesisFile.ToJson(c.Genesis))!.AsObject();
        foreach (string field in OptionalFields) Assert.True(json.Remove(field), field);

        GenesisDocument parsed = GenesisFile.Parse(json.ToJsonString());

        Assert.Equal(GenesisDocument.DefaultIntervalSeconds, parsed.IntervalSeconds);
        Assert.Equal(GenesisDocument.DefaultGraceSeconds, parsed.GraceSeconds);
        Assert.Equal(GenesisDocument.DefaultFutureToleranceSeconds, parsed.FutureToleranceSeconds);
        Assert.Equal(GenesisDocument.DefaultRetentionSeconds, parsed.RetentionSeconds);
        Assert.Equal(GenesisDocument.GridOnlyMechanism, parsed.PricingMechanism);
        Assert.Equal(GenesisDocument.DefaultFundSharePermille, parsed.FundSharePermille);
        Assert.Equal(GenesisDocument.DefaultMaxConnectionPowerW, parsed.MaxConnectionPowerW);
        Assert.Equal(GovernanceRules.Default, parsed.Governance);
        Assert.Equal(0, parsed.ExitFundSharePermille);
        Assert.Null(parsed.Parent);
        Assert.Null(parsed.Meters);
        Assert.Equal(Reflection(json.ToJsonString()), GenesisFile.ToJson(parsed));
    }

    [Fact]
    public void Omitted_voting_rules_take_their_defaults()
    {
        using var c = new TestCommunity();
        string json = GenesisFile.ToJson(c.Genesis);
        var node = JsonNode.Parse(json)!.AsObject();
        node["governance"] = new JsonObject { ["quorumPermille"] = 400, ["memberAdmission"] = "vote" };

        GovernanceRules rules = GenesisFile.Parse(node.ToJsonString()).Governance;

        Assert.Equal(GovernanceRules.Default with { QuorumPermille = 400, MemberAdmission = MemberAdmission.Vote }, rules);
        Assert.Equal(7 * 86400, rules.VotingPeriodSeconds);
        Assert.Equal(666, rules.StrictThresholdPermille);
        Assert.Equal(3, rules.MaxOpenProposalsPerHouse);
    }

    [Fact]
    public void Writes_the_bytes_the_reflection_based_serializer_wrote()
    {
        using var c = new TestCommunity(exitFundSharePermille: 300,
            governance: new GovernanceRules { EffectDelayIntervals = 2, MemberAdmission = MemberAdmission.Vote });
        GenesisDocument split = c.Genesis with
        {
            Parent = new GenesisParent("old-street", 42, new string('a', 64), new string('b', 64), 1_780_000_000),
            Meters = [new GenesisMeter("m1", "h1", new string('c', 64), 1, 250, 2500, 0)],
        };

        foreach (GenesisDocument document in new[] { c.Genesis, split })
        {
            Assert.Equal(JsonSerializer.Serialize(document, ReflectionOptions), GenesisFile.ToJson(document));
        }
        string written = GenesisFile.ToJson(c.Genesis);
        Assert.Equal(written, GenesisFile.ToJson(GenesisFile.Parse(written)));
        Assert.Contains("\"parent\": {", GenesisFile.ToJson(split));
    }

    [Fact]
    public void A_missing_required_field_is_an_error_that_names_it()
    {
        using var c = new TestCommunity();
        var json = JsonNode.Parse(GenesisFile.ToJson(c.Genesis))!.AsObject();
        json.Remove("retailPrice");
        Assert.Contains("retailPrice", Assert.Throws<GenesisException>(() => GenesisFile.Parse(json.ToJsonString())).Message);
    }

    private static string Reflection(string json) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize<GenesisDocument>(json, ReflectionOptions), ReflectionOptions);
}
