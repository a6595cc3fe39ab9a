using Xunit;

namespace CommunityGrid.Cli.Tests.Gateway;

/// <summary><c>cgrid gateway run --mqtt-max-connections</c>: bad values are bad usage, before any file is read.</summary>
public sealed class BrokerConnectionLimitOptionTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_limit_that_is_not_positive_is_bad_usage(string limit)
    {
        CgridProcess.Result result = CgridProcess.Run(null, "gateway", "run", "--genesis", "genesis.json", "--key", "gateway.key", "--data", "data", "--mqtt-max-connections", limit);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--mqtt-max-connections must be a positive number of connections", result.Stderr);
    }

    [Fact]
    public void The_limit_does_not_go_with_an_external_broker()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "gateway", "run", "--genesis", "genesis.json", "--key", "gateway.key", "--data", "data",
            "--mqtt-broker", "mqtt://127.0.0.1:1883", "--mqtt-max-connections", "5000");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--mqtt-max-connections bounds the embedded broker", result.Stderr);
    }
}
