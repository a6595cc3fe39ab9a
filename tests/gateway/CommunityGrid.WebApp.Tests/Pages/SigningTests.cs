using System;
using System.IO;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>
/// What the browser signs is byte for byte what `cgrid` signs for the same key, nonce and content: the page's tx.js
/// signs in Chromium (not submitted), then the real cgrid signs and submits with that nonce, and the chain's stored
/// bytes of cgrid's transaction are compared with the browser's.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class SigningTests(Browser browser, WebGateway gateway)
{
    [Fact]
    public async Task A_vote_a_statement_a_resolution_and_a_spending_signed_in_the_browser_are_what_cgrid_signs()
    {
        IPage page = await browser.NewPageAsync();
        await page.GotoAsync(gateway.Url + "/app/");
        string keyFile = await File.ReadAllTextAsync(gateway.MemberKeyPath);
        string proposal = Convert.ToHexStringLower(gateway.Resolution);
        long nonce = Http.Get(gateway.Client, "/signers/" + KeyHex(keyFile), ApiJsonContext.Default.SignerResponse).LastNonce + 1_000_000;
        string chain = gateway.Community.Genesis.ChainId;

        string[] browserHex = await page.EvaluateAsync<string[]>("""
            async ([keyFile, chain, nonce, proposal]) => {
              const tx = await import('/app/js/tx.js');
              const key = await tx.importKeyFile(keyFile);
              const n = BigInt(nonce);
              return [
                (await tx.signVote(key, chain, n, proposal, 'no')).hex,
                (await tx.signStatement(key, chain, n + 1n, 'Grüße aus der Straße: 10 € für alle', proposal, null)).hex,
                (await tx.signResolution(key, chain, n + 2n, 'Plant trees', 'Along the street.')).hex,
                (await tx.signSpending(key, chain, n + 3n, 'Bench', 'For the corner.', 1n, 'external', 'Carpenter & Sons', 'a bench')).hex,
              ];
            }
            """, new object[] { keyFile, chain, nonce.ToString(), proposal });

        string[] cgridIds =
        [
            Submit("vote", "--gateway", gateway.Url, "--member-key", gateway.MemberKeyPath, "--proposal", proposal, "--choice", "no", "--nonce", $"{nonce}"),
            Submit("statement", "post", "--gateway", gateway.Url, "--member-key", gateway.MemberKeyPath, "--proposal", proposal,
                "--text", "Grüße aus der Straße: 10 € für alle", "--nonce", $"{nonce + 1}"),
            Submit("proposal", "new", "--gateway", gateway.Url, "--member-key", gateway.MemberKeyPath, "--kind", "resolution",
                "--title", "Plant trees", "--text", "Along the street.", "--nonce", $"{nonce + 2}"),
            Submit("proposal", "new", "--gateway", gateway.Url, "--member-key", gateway.MemberKeyPath, "--kind", "spending",
                "--title", "Bench", "--text", "For the corner.", "--amount", "0.01", "--payee-external", "Carpenter & Sons", "--purpose", "a bench",
                "--nonce", $"{nonce + 3}"),
        ];
        for (int i = 0; i < cgridIds.Length; i++)
        {
            TransactionResponse stored = Http.Get(gateway.Client, "/transactions/" + cgridIds[i], ApiJsonContext.Default.TransactionResponse);
            Assert.Equal(stored.Bytes, browserHex[i]);
        }
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("12.5", "1250")]
    [InlineData("0,07", "7")]
    [InlineData(" 3 ", "300")]
    [InlineData("1.234", "null")]
    [InlineData("-1", "null")]
    [InlineData("1e3", "null")]
    public async Task Amounts_typed_in_the_currency_become_exact_minor_units(string typed, string minor)
    {
        IPage page = await browser.NewPageAsync();
        await page.GotoAsync(gateway.Url + "/app/");
        string result = await page.EvaluateAsync<string>("async typed => String((await import('/app/js/tx.js')).minorUnits(typed, 2))", typed);
        Assert.Equal(minor, result);
        await page.Context.CloseAsync();
    }

    private static string Submit(params string[] args)
    {
        Cgrid.Result result = Cgrid.Run(args);
        Assert.True(result.ExitCode == 0, $"cgrid {string.Join(' ', args)}: {result.Stderr}");
        return result.Stdout.Trim();
    }

    private static string KeyHex(string keyFile) =>
        System.Text.Json.JsonDocument.Parse(keyFile).RootElement.GetProperty("publicKey").GetString()!;
}
