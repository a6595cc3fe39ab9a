using System;
using System.IO;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Cli.Tests.Community;

public sealed class CommunityInitTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cgrid-community-").FullName;
    private readonly string installer = TestGateway.NewPublicKey();
    private readonly string treasurer = TestGateway.NewPublicKey();
    private readonly string validator = TestGateway.NewPublicKey();
    private readonly string house1 = TestGateway.NewPublicKey();
    private readonly string house2 = TestGateway.NewPublicKey();

    private string Out => Path.Combine(dir, "genesis.json");

    private CgridProcess.Result Init(params string[] extra) => CgridProcess.Run(null,
        ["community", "init", "--out", Out, "--id", "oakfield", "--name", "Oakfield", .. extra]);

    private string[] Officers => ["--installer", installer, "--treasurer", treasurer, "--validator", validator + "@10.0.0.2:7001"];

    [Fact]
    public void Writes_a_genesis_file_that_the_chain_loads()
    {
        CgridProcess.Result result = Init([
            "--currency", "CHF", "--minor-digits", "2", "--interval", "300", "--retail", "310", "--feed-in", "75",
            "--mechanism", "auction", "--fund-share", "200", "--genesis-time-ms", "1800000000000",
            "--member", "h1=" + house1, "--member", "h2=" + house2.ToUpperInvariant(), .. Officers]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        GenesisDocument g = GenesisFile.Load(Out);
        Assert.Equal(("oakfield", "Oakfield", "CHF", 2, 300), (g.ChainId, g.Name, g.Currency, g.MinorUnitDigits, g.IntervalSeconds));
        Assert.Equal((310L, 75L, "auction", 200), (g.RetailPrice, g.FeedInPrice, g.PricingMechanism, g.FundSharePermille));
        Assert.Equal([new GenesisMember("h1", house1), new GenesisMember("h2", house2)], g.Members);
        Assert.Equal([installer], g.InstallerKeys);
        Assert.Equal([treasurer], g.TreasurerKeys);
        Assert.Equal([new GenesisValidator(validator, "10.0.0.2:7001")], g.Validators);
        Assert.Equal(1_800_000_000_000, g.GenesisTimeMs);
        Assert.Equal(Hashes.Hex(GenesisCanonical.Hash(g)), result.Stdout.Trim());
        Assert.Equal(310, ChainState.FromGenesis(g).View().Parameters.RetailPrice);
    }

    [Fact]
    public void Defaults_are_the_simulators_and_the_parameters_are_printed()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        CgridProcess.Result result = Init(Officers);
        Assert.Equal(0, result.ExitCode);

        GenesisDocument g = GenesisFile.Load(Out);
        Assert.Equal(("EUR", 2, 900, 60), (g.Currency, g.MinorUnitDigits, g.IntervalSeconds, g.GraceSeconds));
        // A community starting from the defaults gets what `cgrid simulate` showed: 0.30 / 0.08 EUR per kWh, 10 % to the fund.
        var simulated = new CommunityGrid.Simulation.Community.CommunityOptions();
        Assert.Equal((simulated.RetailPrice, simulated.FeedInPrice, simulated.Mechanism, simulated.FundSharePermille), (g.RetailPrice, g.FeedInPrice, g.PricingMechanism, g.FundSharePermille));
        Assert.Equal((30L, 8L, 100), (g.RetailPrice, g.FeedInPrice, g.FundSharePermille));
        Assert.Contains("retail 0.30 EUR/kWh (30 minor units), feed-in 0.08 EUR/kWh (8 minor units)", result.Stderr);
        Assert.Contains("pricing mechanism sdr; fund share 100 ‰ (10 % of the community's export proceeds)", result.Stderr);
        Assert.Contains("validators 10.0.0.2:7001", result.Stderr);
        Assert.Empty(g.Members);
        Assert.InRange(g.GenesisTimeMs, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Never_overwrites_an_existing_file()
    {
        File.WriteAllText(Out, "precious");

        CgridProcess.Result result = Init(Officers);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("never overwritten", result.Stderr);
        Assert.Equal("precious", File.ReadAllText(Out));
    }

    [Theory]
    [InlineData("--member", "h1", "HOUSE=PUBKEYHEX")]
    [InlineData("--member", "h 1=KEY", "house id 'h 1'")]
    [InlineData("--interval", "7", "intervalSeconds")]
    [InlineData("--mechanism", "magic", "--mechanism 'magic'")]
    [InlineData("--currency", "euro", "currency")]
    [InlineData("--fund-share", "1001", "fundSharePermille")]
    [InlineData("--validator", "abc", "PUBKEYHEX@host:port")]
    [InlineData("--installer", "12", "64 lowercase hex digits")]
    public void Bad_options_exit_2_and_write_nothing(string option, string value, string expected)
    {
        CgridProcess.Result result = Init([.. Officers, option, value.Replace("KEY", house1)]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Contains("Nothing was written", result.Stderr);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public void Missing_officers_are_a_usage_error()
    {
        CgridProcess.Result result = Init("--installer", installer);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--treasurer", result.Stderr);
        Assert.False(File.Exists(Out));
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
