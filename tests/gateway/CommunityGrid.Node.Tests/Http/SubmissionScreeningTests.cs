using CommunityGrid.Peering.Transport;
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;

namespace CommunityGrid.Node.Tests.Http;

/// <summary>
/// Issue 11, case 8: POST /transactions answered 202 for transactions that could never apply, the producer dropped
/// them at block time and GET /transactions/{id} said "retry" for ever. Against the real node's HTTP server now: what
/// cannot apply to the tip is refused with 422 and the reason, and what is dropped at block time answers 410 with it.
/// </summary>
public sealed class SubmissionScreeningTests
{
    [Fact]
    public async Task Transactions_that_cannot_apply_to_the_tip_are_refused_with_422_and_the_chains_reason()
    {
        using var grid = new TestGrid(1);
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with { HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };
        string house = TestGrid.HouseOf("m01");

        byte[] deposit = Payment(grid.Treasurer, 10, house, 2500, "SEPA 1");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, deposit)).Status);
        await Waits.UntilAsync(() => node.Read(s => s.GetTransaction(System.Security.Cryptography.SHA256.HashData(deposit))) is not null,
            TimeSpan.FromSeconds(10), "the deposit's block");

        await Refused(http, deposit, "ReplayedNonce");
        await Refused(http, Payment(grid.Treasurer, 9, house, 100, "older nonce"), "ReplayedNonce");
        await Refused(http, Payment(grid.Installer, 11, house, 100, "installer is no treasurer"), "Unauthorized");
        await Refused(http, Payment(grid.Treasurer, 12, house, 0, "zero"), "AmountOutOfRange");
        await Refused(http, Payment(grid.Treasurer, 13, house, long.MaxValue, "too much"), "AmountOutOfRange");
        await Refused(http, Payment(grid.Treasurer, 14, house, 100, new string('x', PaymentPayload.MaxReferenceBytes + 1)), "InvalidField");
        await Refused(http, Payment(grid.Treasurer, 15, "h-nobody", 100, "no such house"), "UnknownHouse");
        using Ed25519Signer stranger = Ed25519Signer.Generate();
        await Refused(http, Sign(new EnrolMeterPayload(TestGrid.ChainId, 16, "m99", stranger.PublicKey, "h-nobody", MeterRole.ConnectionPoint, 0, 0, 0), grid.Installer), "UnknownHouse");
        Assert.Equal(0, node.Pool.Count);

        // Still fine: the next nonce.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, Payment(grid.Treasurer, 17, house, 100, "SEPA 2"))).Status);
    }

    [Fact]
    public async Task A_transaction_dropped_at_block_time_answers_410_with_the_reason_and_cgrid_wait_says_why()
    {
        using var grid = new TestGrid(1);
        // Blocks only when the test says: both payments wait in the mempool together, each applying to the tip alone.
        await using GatewayNode node = await GatewayNode.StartAsync(grid.NodeOptions(LoopbackPorts.Reserve()) with
        {
            HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            BlockPeriod = null,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{node.HttpEndpoint}"), Timeout = TimeSpan.FromSeconds(10) };
        string house = TestGrid.HouseOf("m01");
        byte[] first = Payment(grid.Treasurer, 20, house, 500, "first");
        byte[] second = Payment(grid.Treasurer, 20, house, 700, "same nonce");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, first)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, second)).Status);
        string secondId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(second));

        (HttpStatusCode waiting, JsonElement waitingBody) = await GetAsync(http, "/transactions/" + secondId);
        Assert.Equal(HttpStatusCode.NotFound, waiting);
        Assert.Contains("waits in this gateway's mempool", waitingBody.GetProperty("detail").GetString(), StringComparison.Ordinal);

        node.ProduceOnce();
        (HttpStatusCode gone, JsonElement problem) = await GetAsync(http, "/transactions/" + secondId);
        Assert.Equal(HttpStatusCode.Gone, gone);
        Assert.Equal("urn:communitygrid:problem:rejected-transaction", problem.GetProperty("type").GetString());
        Assert.Equal("ReplayedNonce", problem.GetProperty("reason").GetString());
        Assert.Equal(15, problem.GetProperty("reasonCode").GetInt32());
        Assert.Contains("will never be in the chain", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // cgrid payment --wait learns the same: its payment is accepted (it applies to the tip), then another one
        // with the same nonce commits first, and the command exits 1 naming the reason instead of waiting in vain.
        byte[] rival = Payment(grid.Treasurer, 30, house, 900, "rival");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, rival)).Status);
        Task<(int Exit, string Stderr)> cgrid = CgridAsync("payment", "--gateway", $"http://{node.HttpEndpoint}", "--treasurer-key", grid.TreasurerKeyPath,
            "--house", house, "--deposit", "100", "--reference", "cgrid", "--nonce", "30", "--wait", "30");
        await Waits.UntilAsync(() => node.Pool.Count == 2 || cgrid.IsCompleted, TimeSpan.FromSeconds(30), "cgrid's payment in the mempool");
        node.ProduceOnce();
        (int exit, string stderr) = await cgrid;
        Assert.True(exit == 1, $"cgrid exited {exit}: {stderr}");
        Assert.Contains("rejected at block time", stderr, StringComparison.Ordinal);
        Assert.Contains("ReplayedNonce", stderr, StringComparison.Ordinal);
    }

    private static byte[] Payment(Ed25519Signer signer, long nonce, string house, long amount, string reference) =>
        Sign(new PaymentPayload(TestGrid.ChainId, nonce, house, PaymentKind.Deposit, amount, reference), signer);

    private static byte[] Sign(AdminPayload payload, Ed25519Signer signer) =>
        CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), signer);

    private static async Task Refused(HttpClient http, byte[] tx, string reason)
    {
        (HttpStatusCode status, JsonElement body) = await PostAsync(http, tx);
        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"expected 422 {reason}, got {(int)status}: {body}");
        Assert.Equal(reason, body.GetProperty("reason").GetString());
        Assert.StartsWith($"the gateway did not accept the transaction: {reason}: ", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, byte[] tx)
    {
        using var content = new ByteArrayContent(tx);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using HttpResponseMessage response = await http.PostAsync("/transactions", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using HttpResponseMessage response = await http.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<(int Exit, string Stderr)> CgridAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cgrid.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stderr);
    }
}
