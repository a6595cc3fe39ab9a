using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Cli.Tests.Community;

namespace CommunityGrid.Cli.Tests.Payments;

public sealed class PaymentTests(TestGateway gateway) : IClassFixture<TestGateway>
{
    private CgridProcess.Result Pay(params string[] args) =>
        CgridProcess.Run(null, ["payment", "--gateway", gateway.Url, "--treasurer-key", gateway.TreasurerKeyPath, .. args]);

    private async Task<long> BalanceAsync(string house) =>
        (await gateway.WaitForAsync($"/houses/{house}/balance", ApiJsonContext.Default.BalanceResponse)).Balance;

    [Fact]
    public async Task A_deposit_raises_and_a_payout_lowers_the_balance()
    {
        long before = await BalanceAsync("h1");

        CgridProcess.Result deposit = Pay("--house", "h1", "--deposit", "25.00", "--reference", "SEPA 2026-04 h1");
        Assert.True(deposit.ExitCode == 0, deposit.Stderr);
        TransactionResponse tx = await gateway.WaitForAsync("/transactions/" + deposit.Stdout.Trim(), ApiJsonContext.Default.TransactionResponse);
        Assert.Equal(new PaymentSummary(TestGateway.Chain, tx.Payment!.Nonce, "h1", "deposit", 2500, "SEPA 2026-04 h1"), tx.Payment);

        CgridProcess.Result payout = Pay("--house", "h1", "--payout", "4", "--reference", "refund");
        Assert.True(payout.ExitCode == 0, payout.Stderr);
        await gateway.WaitForAsync("/transactions/" + payout.Stdout.Trim(), ApiJsonContext.Default.TransactionResponse);

        Assert.Equal(before + 2100, await BalanceAsync("h1"));
    }

    [Fact]
    public async Task Amounts_are_currency_units_exactly_at_the_chains_minor_digits()
    {
        CgridProcess.Result deposit = Pay("--house", "h1", "--deposit", "0.070", "--reference", "seven cents");
        Assert.True(deposit.ExitCode == 0, deposit.Stderr);
        TransactionResponse tx = await gateway.WaitForAsync("/transactions/" + deposit.Stdout.Trim(), ApiJsonContext.Default.TransactionResponse);
        Assert.Equal(7, tx.Payment!.Amount);
    }

    [Fact]
    public void A_payment_for_a_house_that_is_no_member_is_rejected_with_exit_1()
    {
        CgridProcess.Result result = Pay("--house", "h-stranger", "--deposit", "1", "--reference", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("UnknownHouse", result.Stderr);
    }

    [Fact]
    public void An_installer_key_cannot_record_payments()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "payment", "--gateway", gateway.Url, "--treasurer-key", gateway.InstallerKeyPath,
            "--house", "h1", "--deposit", "1", "--reference", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("treasurer role", result.Stderr);
    }

    [Theory]
    [InlineData("exactly one", "--house", "h1", "--reference", "x")]
    [InlineData("exactly one", "--house", "h1", "--deposit", "5", "--payout", "5", "--reference", "x")]
    [InlineData("--deposit 0 EUR is outside what the chain takes: 0.01 to 10000000000000.00 EUR", "--house", "h1", "--deposit", "0", "--reference", "x")]
    [InlineData("--payout -3: an amount cannot be negative", "--house", "h1", "--payout", "-3", "--reference", "x")]
    [InlineData("--deposit 10000000000000.01 EUR is outside what the chain takes", "--house", "h1", "--deposit", "10000000000000.01", "--reference", "x")]
    [InlineData("--deposit 99999999999999999999 EUR is too large for the chain", "--house", "h1", "--deposit", "99999999999999999999", "--reference", "x")]
    [InlineData("--deposit 25.005 has 3 decimal(s), but EUR amounts have 2 (0.01 EUR is the smallest)", "--house", "h1", "--deposit", "25.005", "--reference", "x")]
    [InlineData("--deposit '25,00' is not an amount", "--house", "h1", "--deposit", "25,00", "--reference", "x")]
    [InlineData("--payout '1e3' is not an amount", "--house", "h1", "--payout", "1e3", "--reference", "x")]
    [InlineData("--deposit '€5' is not an amount", "--house", "h1", "--deposit", "€5", "--reference", "x")]
    [InlineData("--house", "--house", "h#1", "--deposit", "5", "--reference", "x")]
    [InlineData("--reference", "--house", "h1", "--deposit", "5")]
    public void Bad_input_exits_2(string expected, params string[] args)
    {
        CgridProcess.Result result = Pay(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public void A_reference_over_140_bytes_exits_2()
    {
        CgridProcess.Result result = Pay("--house", "h1", "--deposit", "5", "--reference", new string('é', 71));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("142 UTF-8 bytes", result.Stderr);
    }
}
