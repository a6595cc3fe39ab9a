using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Cli.Tests.Community;

namespace CommunityGrid.Cli.Tests.Members;

public sealed class MemberAddTests(TestGateway gateway) : IClassFixture<TestGateway>
{
    private CgridProcess.Result Add(string house, string memberKey, params string[] extra) =>
        CgridProcess.Run(null, ["member", "add", "--gateway", gateway.Url, "--treasurer-key", gateway.TreasurerKeyPath,
            "--house", house, "--member-key-public", memberKey, .. extra]);

    [Fact]
    public async Task Admits_a_house_whose_balance_then_exists()
    {
        string memberKey = TestGateway.NewPublicKey();

        CgridProcess.Result result = Add("h-new", memberKey);

        Assert.True(result.ExitCode == 0, result.Stderr);
        TransactionResponse tx = await gateway.WaitForAsync("/transactions/" + result.Stdout.Trim(), ApiJsonContext.Default.TransactionResponse);
        Assert.Equal(new AdmitMemberSummary(TestGateway.Chain, tx.AdmitMember!.Nonce, "h-new", memberKey), tx.AdmitMember);
        BalanceResponse balance = await gateway.WaitForAsync("/houses/h-new/balance", ApiJsonContext.Default.BalanceResponse);
        Assert.Equal(0, balance.Balance);
    }

    [Fact]
    public async Task An_explicit_nonce_is_used_and_must_exceed_the_last_one()
    {
        long last = (await gateway.SignerAsync(gateway.TreasurerKey)).LastNonce;
        long explicitNonce = last + 5;

        Assert.Equal(0, Add("h-nonce", TestGateway.NewPublicKey(), "--nonce", explicitNonce.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
        Assert.Equal(explicitNonce, (await gateway.SignerAsync(gateway.TreasurerKey)).LastNonce);

        CgridProcess.Result stale = Add("h-stale", TestGateway.NewPublicKey(), "--nonce", explicitNonce.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("not above this key's last nonce", stale.Stderr);
    }

    [Fact]
    public void An_existing_house_is_rejected_with_exit_1()
    {
        CgridProcess.Result result = Add("h1", TestGateway.NewPublicKey());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("HouseExists", result.Stderr);
    }

    [Fact]
    public void A_member_key_already_bound_is_rejected_with_exit_1()
    {
        CgridProcess.Result result = Add("h-dupkey", gateway.MemberKey.PublicKeyHex);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("KeyInUse", result.Stderr);
    }

    [Theory]
    [InlineData("h 2", "KEY", "--house")]
    [InlineData("h2", "00", "--member-key-public")]
    [InlineData("h2", "KEY", "--nonce", "0")]
    public void Bad_input_exits_2(string house, string key, string expected, string? nonce = null)
    {
        string[] extra = nonce is null ? [] : ["--nonce", nonce];
        CgridProcess.Result result = Add(house, key.Replace("KEY", TestGateway.NewPublicKey()), extra);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }
}
