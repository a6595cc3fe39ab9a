using System;
using System.IO;

namespace CommunityGrid.Cli.Tests.Usage;

/// <summary>What a newcomer sees after a slip on the command line: help, a suggestion, plain words, exit code 2.</summary>
public class UsageErrorTests
{
    [Fact]
    public void No_command_prints_the_help_with_every_command()
    {
        CgridProcess.Result result = CgridProcess.Run(null);
        Assert.Equal(2, result.ExitCode);
        foreach (string command in new[] { "simulate", "verify", "keys", "community", "gateway" }) Assert.Contains(command, result.Stdout);
    }

    [Theory]
    [InlineData("simulat", "did you mean 'simulate'?")]
    [InlineData("community int", "did you mean 'init'?")]
    [InlineData("simulate --hoses 3", "did you mean '--houses'?")]
    public void A_typo_gets_a_suggestion(string command, string suggestion)
    {
        CgridProcess.Result result = CgridProcess.Run(null, command.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(suggestion, result.Stderr);
        Assert.DoesNotContain("Required command was not provided", result.Stderr);
    }

    [Theory]
    [InlineData("--houses", "abc", "--houses: 'abc' is not a whole number")]
    [InlineData("--houses", "0", "--houses must be a number of houses from 1 to 999")]
    [InlineData("--days", "0", "--days must be a number of days from 1 to 366")]
    [InlineData("--pv-share", "lots", "--pv-share: 'lots' is not a number")]
    [InlineData("--pv-share", "1.5", "--pv-share must be a share between 0 and 1")]
    public void Bad_numbers_are_explained_without_dotnet_words(string option, string value, string expected)
    {
        CgridProcess.Result result = CgridProcess.Run(null, "simulate", "--out", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        foreach (string leak in new[] { "System.", "Exception", "Parameter '", "Actual value" }) Assert.DoesNotContain(leak, result.Stderr);
    }

    [Fact]
    public void A_price_written_in_currency_units_is_told_that_prices_count_minor_units()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "community", "init", "--out", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")),
            "--id", "a", "--name", "A", "--installer", "00", "--treasurer", "00", "--validator", "00@127.0.0.1:7001", "--retail", "0.30");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--retail: '0.30' is not a whole number; --retail counts minor units of the currency (Grid retail (import) price in minor units per kWh (30 = 0.30 EUR/kWh))", result.Stderr);
    }
}
