using System.Linq;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.Genesis;

public sealed class GenesisTests
{
    [Fact]
    public void Json_round_trip_keeps_the_hash()
    {
        using var c = new TestCommunity();
        GenesisDocument parsed = GenesisFile.Parse(GenesisFile.ToJson(c.Genesis));
        Assert.Equal(GenesisCanonical.Hash(c.Genesis), GenesisCanonical.Hash(parsed));
    }

    [Fact]
    public void The_hash_does_not_depend_on_list_order()
    {
        using var c = new TestCommunity();
        GenesisDocument reordered = c.Genesis with { Members = c.Genesis.Members.Reverse().ToList() };
        Assert.Equal(GenesisCanonical.Hash(c.Genesis), GenesisCanonical.Hash(reordered));
        Assert.NotEqual(GenesisCanonical.Hash(c.Genesis), GenesisCanonical.Hash(c.Genesis with { RetailPrice = 301 }));
    }

    [Fact]
    public void Defaults_apply_when_the_file_omits_them()
    {
        using var c = new TestCommunity();
        string json = GenesisFile.ToJson(c.Genesis).Replace("\"intervalSeconds\": 900,", "");
        Assert.Equal(900, GenesisFile.Parse(json).IntervalSeconds);
        Assert.Equal(1000, GenesisDocument.DefaultFundSharePermille);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        using var c = new TestCommunity();
        GenesisDocument bad = c.Genesis with
        {
            ChainId = "Bad Id",
            IntervalSeconds = 7,
            FundSharePermille = 1001,
            TreasurerKeys = [],
            Members = [new GenesisMember("h1", "zz"), new GenesisMember("h1", Hashes.Hex(new byte[32]))],
        };
        var e = Assert.Throws<GenesisException>(() => GenesisCanonical.Require(bad));
        foreach (string field in new[] { "chainId", "intervalSeconds", "fundSharePermille", "treasurerKeys", "appears twice", "members[h1].publicKey" })
        {
            Assert.Contains(field, e.Message);
        }
    }

    /// <summary>Issue 11 case 1: a genesis the clearing engine cannot settle, or without a sane plausibility bound, is refused.</summary>
    [Fact]
    public void Prices_and_the_connection_power_stay_within_what_settlement_takes()
    {
        using var c = new TestCommunity();
        Assert.Equal(GenesisDocument.DefaultMaxConnectionPowerW,
            GenesisFile.Parse(GenesisFile.ToJson(c.Genesis).Replace("\"maxConnectionPowerW\": 43470,", "")).MaxConnectionPowerW);
        foreach ((GenesisDocument bad, string field) in new[]
        {
            (c.Genesis with { RetailPrice = 1_000_001, FeedInPrice = 0 }, "retailPrice"),
            (c.Genesis with { RetailPrice = 80, FeedInPrice = 81 }, "must not exceed retailPrice"),
            (c.Genesis with { MaxConnectionPowerW = 0 }, "maxConnectionPowerW"),
            (c.Genesis with { MaxConnectionPowerW = GenesisRules.MaxConnectionPowerW + 1 }, "maxConnectionPowerW"),
        })
        {
            Assert.Contains(field, Assert.Throws<GenesisException>(() => GenesisCanonical.Require(bad)).Message);
        }
        GenesisCanonical.Require(c.Genesis with { RetailPrice = 1_000_000, FeedInPrice = 1_000_000, MaxConnectionPowerW = GenesisRules.MaxConnectionPowerW });
    }

    [Fact]
    public void Unknown_fields_are_errors()
    {
        using var c = new TestCommunity();
        string json = GenesisFile.ToJson(c.Genesis).Replace("\"name\":", "\"intervalSecond\": 300, \"name\":");
        Assert.Contains("intervalSecond", Assert.Throws<GenesisException>(() => GenesisFile.Parse(json)).Message);
    }
}
