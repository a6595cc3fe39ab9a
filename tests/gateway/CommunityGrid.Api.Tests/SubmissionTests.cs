using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Api.Tests;

/// <summary>Each test gets its own gateway, since submissions change the chain.</summary>
public sealed class SubmissionTests : IDisposable
{
    private readonly BusyGateway gateway = new();

    private HttpClient Client => gateway.Server.Client;

    private static ByteArrayContent Cbor(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return content;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private HttpResponseMessage Post(HttpContent content) => Client.PostAsync("/transactions", content).GetAwaiter().GetResult();

    [Fact]
    public async System.Threading.Tasks.Task A_valid_payment_as_cbor_is_accepted_and_then_visible()
    {
        long before = gateway.Community.Balance("h2");
        byte[] tx = gateway.Community.PaymentTx("h2", PaymentKind.Deposit, 2_500, "april");

        using HttpResponseMessage response = Post(Cbor(tx));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        SubmitResponse body = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ApiJsonContext.Default.SubmitResponse)!;
        string txId = Hashes.Hex(Hashes.Sha256(tx));
        Assert.Equal(txId, body.TxId);
        Assert.Equal("pending", body.Status);
        Assert.Equal("/transactions/" + txId, response.Headers.Location?.OriginalString);

        TransactionResponse stored = Http.Get(Client, "/transactions/" + txId, ApiJsonContext.Default.TransactionResponse);
        Assert.Equal("april", stored.Payment!.Reference);
        BalanceResponse balance = Http.Get(Client, "/houses/h2/balance", ApiJsonContext.Default.BalanceResponse);
        Assert.Equal(before + 2_500, balance.Balance);
    }

    [Fact]
    public void A_valid_transaction_as_json_hex_is_accepted()
    {
        byte[] tx = gateway.Community.PaymentTx("h3", PaymentKind.Payout, 100);

        using HttpResponseMessage response = Post(Json($"{{\"hex\": \"{Convert.ToHexString(tx)}\"}}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Http.Get(Client, "/transactions/" + Hashes.Hex(Hashes.Sha256(tx)), ApiJsonContext.Default.TransactionResponse);
    }

    [Fact]
    public void A_transaction_the_chain_rejects_is_a_422_with_the_reason()
    {
        byte[] first = gateway.Community.PaymentTx("h1", PaymentKind.Deposit, 1);
        Assert.Equal(HttpStatusCode.Accepted, Post(Cbor(first)).StatusCode);
        // The same nonce again, in a new transaction.
        byte[] replay = TestSign(new PaymentPayload(gateway.Community.Genesis.ChainId, 2, "h1", PaymentKind.Deposit, 7, "again"));

        ApiProblem problem = Http.Problem(Post(Cbor(replay)), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("urn:communitygrid:problem:rejected-transaction", problem.Type);
        Assert.Contains("ReplayedNonce", problem.Detail);
        Assert.Equal(Hashes.Hex(Hashes.Sha256(replay)), problem.TxId);
    }

    [Fact]
    public void A_payment_for_an_unknown_house_is_a_422()
    {
        byte[] tx = gateway.Community.PaymentTx("h404", PaymentKind.Deposit, 5);
        Assert.Contains("UnknownHouse", Http.Problem(Post(Cbor(tx)), HttpStatusCode.UnprocessableEntity).Detail);
    }

    [Fact]
    public void Bytes_that_are_no_transaction_are_a_400()
    {
        ApiProblem problem = Http.Problem(Post(Cbor([0xa1, 0x01, 0x02])), HttpStatusCode.BadRequest);
        Assert.Equal("urn:communitygrid:problem:malformed-transaction", problem.Type);
        Assert.Contains("MalformedCbor", problem.Detail);
    }

    [Fact]
    public void A_tampered_transaction_is_rejected()
    {
        byte[] tx = gateway.Community.PaymentTx("h1", PaymentKind.Deposit, 1);
        tx[^1] ^= 0x01; // inside the signature
        Assert.Contains("BadSignature", Http.Problem(Post(Cbor(tx)), HttpStatusCode.UnprocessableEntity).Detail);
    }

    [Theory]
    [InlineData("{\"hex\": \"xyz\"}", "not an even number of hex digits")]
    [InlineData("{\"bytes\": \"00\"}", "no \\\"hex\\\" field")]
    [InlineData("{\"hex\": ", "does not parse")]
    [InlineData("{\"hex\": \"\"}", "empty")]
    public void Malformed_json_bodies_are_400s(string json, string expected)
    {
        ApiProblem problem = Http.Problem(Post(Json(json)), HttpStatusCode.BadRequest);
        Assert.Contains(expected.Replace("\\\"", "\""), problem.Detail);
    }

    [Fact]
    public void Other_media_types_are_415s()
    {
        ApiProblem problem = Http.Problem(Post(new StringContent("00", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/cbor", problem.Detail);
    }

    [Fact]
    public void An_oversized_body_is_a_413()
    {
        Http.Problem(Post(Cbor(new byte[64 * 1024])), HttpStatusCode.RequestEntityTooLarge);
    }

    private byte[] TestSign(PaymentPayload payload) =>
        Chain.Tests.Support.TestCommunity.Sign(payload, gateway.Community.Treasurer);

    public void Dispose() => gateway.Dispose();
}
