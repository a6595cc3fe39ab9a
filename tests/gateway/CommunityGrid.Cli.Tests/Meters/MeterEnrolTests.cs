using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Cli.Tests.Community;

namespace CommunityGrid.Cli.Tests.Meters;

public sealed class MeterEnrolTests(TestGateway gateway) : IClassFixture<TestGateway>
{
    private CgridProcess.Result Enrol(string meterId, string meterKey, string role = "connection", string? keyPath = null, params string[] extra) =>
        CgridProcess.Run(null, ["meter", "enrol", "--gateway", gateway.Url, "--installer-key", keyPath ?? gateway.InstallerKeyPath,
            "--meter-key-public", meterKey, "--meter-id", meterId, "--house", "h1", "--role", role, .. extra]);

    [Fact]
    public async Task Enrols_a_meter_that_the_gateway_then_knows()
    {
        string meterKey = TestGateway.NewPublicKey();

        CgridProcess.Result result = Enrol("m-enrol-1", meterKey, "pv", null, "--initial-pv", "1234");

        Assert.True(result.ExitCode == 0, result.Stderr);
        string txId = result.Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", txId);
        TransactionResponse tx = await gateway.WaitForAsync("/transactions/" + txId, ApiJsonContext.Default.TransactionResponse);
        Assert.Equal("enrol-meter", tx.Type);
        Assert.Equal(new EnrolMeterSummary(TestGateway.Chain, tx.EnrolMeter!.Nonce, "m-enrol-1", meterKey, "h1", "pv", 0, 0, 1234), tx.EnrolMeter);
        Assert.Equal(gateway.InstallerKey.PublicKeyHex, tx.Signer);

        ReadingsResponse readings = await gateway.WaitForAsync("/meters/m-enrol-1/readings", ApiJsonContext.Default.ReadingsResponse);
        Assert.Equal("h1", readings.HouseId);
        Assert.Empty(readings.Readings);
        SignerResponse meter = await gateway.WaitForAsync("/signers/" + meterKey, ApiJsonContext.Default.SignerResponse);
        Assert.Equal("m-enrol-1", meter.MeterId);
    }

    [Fact]
    public async Task Consecutive_commands_get_increasing_nonces_without_being_told()
    {
        Assert.Equal(0, Enrol("m-nonce-a", TestGateway.NewPublicKey()).ExitCode);
        long first = (await gateway.SignerAsync(gateway.InstallerKey)).LastNonce;
        Assert.Equal(0, Enrol("m-nonce-b", TestGateway.NewPublicKey()).ExitCode);
        long second = (await gateway.SignerAsync(gateway.InstallerKey)).LastNonce;

        Assert.True(second > first, $"{second} should exceed {first}");
        Assert.True(first > 1_600_000_000_000, "the default nonce is the time in Unix ms");
    }

    [Fact]
    public void A_meter_id_that_is_taken_is_rejected_by_the_gateway_with_exit_1()
    {
        Assert.Equal(0, Enrol("m-twice", TestGateway.NewPublicKey()).ExitCode);

        CgridProcess.Result again = Enrol("m-twice", TestGateway.NewPublicKey());

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("MeterExists", again.Stderr);
        Assert.Equal("", again.Stdout);
    }

    [Fact]
    public void A_key_without_the_installer_role_is_refused_before_signing()
    {
        CgridProcess.Result result = Enrol("m-no-role", TestGateway.NewPublicKey(), keyPath: gateway.TreasurerKeyPath);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("installer role", result.Stderr);
    }

    [Theory]
    [InlineData("m/1", "abc", "connection", "--meter-id")]
    [InlineData("m1", "abc", "connection", "--meter-key-public")]
    [InlineData("m1", "KEY", "battery", "battery")]
    public void Bad_input_exits_2(string meterId, string key, string role, string expected)
    {
        CgridProcess.Result result = Enrol(meterId, key.Replace("KEY", TestGateway.NewPublicKey()), role);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public void A_missing_key_file_exits_2_and_says_how_to_make_one()
    {
        CgridProcess.Result result = Enrol("m-nokey", TestGateway.NewPublicKey(), keyPath: gateway.Directory + "/nope.key");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cgrid keys new", result.Stderr);
    }

    [Fact]
    public void An_unreachable_gateway_exits_1_and_names_the_address()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "meter", "enrol", "--gateway", "http://127.0.0.1:9", "--installer-key", gateway.InstallerKeyPath,
            "--meter-key-public", TestGateway.NewPublicKey(), "--meter-id", "m-x", "--house", "h1", "--role", "pv");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not reach the gateway at http://127.0.0.1:9", result.Stderr);
    }

    [Fact]
    public void A_gateway_address_that_is_no_url_exits_2()
    {
        CgridProcess.Result result = CgridProcess.Run(null, "meter", "enrol", "--gateway", "127.0.0.1:8080", "--installer-key", gateway.InstallerKeyPath,
            "--meter-key-public", TestGateway.NewPublicKey(), "--meter-id", "m-x", "--house", "h1", "--role", "pv");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("http://", result.Stderr);
    }
}
