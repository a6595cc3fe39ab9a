using CommunityGrid.Cli.Tests.Community;

namespace CommunityGrid.Cli.Tests.Payments;

/// <summary>--wait: return only once the transaction is in a block, or fail after the given time.</summary>
public sealed class PaymentWaitTests : System.IDisposable
{
    private readonly TestGateway gateway = new();

    private CgridProcess.Result Pay(string reference) => CgridProcess.Run(null, "payment", "--gateway", gateway.Url,
        "--treasurer-key", gateway.TreasurerKeyPath, "--house", "h1", "--deposit", "10", "--reference", reference, "--wait", "2");

    [Fact]
    public void Waiting_succeeds_once_the_block_commits()
    {
        CgridProcess.Result result = Pay("committed");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches("^[0-9a-f]{64}$", result.Stdout.Trim());
    }

    [Fact]
    public void Waiting_fails_with_exit_1_when_the_transaction_never_commits()
    {
        gateway.HoldSubmissions = true;

        CgridProcess.Result result = Pay("held");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches("^[0-9a-f]{64}$", result.Stdout.Trim());
        Assert.Contains("not in a block after 2 s", result.Stderr);
    }

    public void Dispose() => gateway.Dispose();
}
