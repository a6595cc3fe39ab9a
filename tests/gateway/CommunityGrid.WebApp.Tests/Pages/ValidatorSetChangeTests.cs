using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Signing;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>
/// The browser follows a change of the validator set decided by the community's vote, block by block (the adjacent-
/// header rule): four real gateways, the browser pins the set of four, the members vote one gateway out, and after the
/// change the balance is verified with the three that remain; a gateway that offers a made-up set for the change is
/// flagged.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class ValidatorSetChangeTests(Browser browser)
{
    private const int Gateways = 4;

    [Fact]
    public async Task The_browser_follows_a_voted_set_change_and_flags_a_made_up_one()
    {
        await using var cluster = new WebCluster(Gateways, houses: 3, votingPeriodSeconds: GovernanceRules.MinVotingPeriodSeconds);
        for (int g = 0; g < Gateways; g++) await cluster.StartAsync(g);
        long nonce = 0;
        await CommitAsync(cluster, cluster.Deposit(++nonce, 1_000));

        // First use: the browser pins the set of four.
        IPage page = await browser.NewPageAsync(Browser.Desktop);
        await page.GotoAsync(cluster.Url(0) + "/app/");
        await Expect.TextAsync(page, "#balance-check", "of 4 gateways");
        string storageKey = "cgrid.validators." + (await cluster.GetAsync(0, "/status")).GetProperty("genesisHash").GetString();
        string pinned = (await page.EvaluateAsync<string>($"localStorage.getItem('{storageKey}')"))!;

        // The members vote gateway 3 out; the change is announced by a header and in effect two blocks later.
        long announced = await VoteOutAsync(cluster, 3, () => ++nonce);
        Assert.Equal(3, (await cluster.GetAsync(0, "/validators")).GetProperty("validators").GetArrayLength());

        // The same browser (its pinned set of four) steps across the change: the balance at the tip, signed by the three.
        await page.ReloadAsync();
        await page.Locator("#balance-check.verified, #balance-check.unverified").WaitForAsync();
        string verified = (await page.TextContentAsync("#balance-check"))!;
        Assert.Matches(@"^Verified at block \d+ by 3 of 3 gateways$", verified);
        Assert.True(long.Parse(verified.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture) >= announced + 2, verified);
        using (JsonDocument trust = JsonDocument.Parse((await page.EvaluateAsync<string>($"localStorage.getItem('{storageKey}')"))!))
        {
            JsonElement sets = trust.RootElement.GetProperty("sets");
            Assert.Equal(2, sets.GetArrayLength());
            Assert.Equal(4, sets[0].GetProperty("validators").GetArrayLength());
            Assert.Equal(announced, sets[1].GetProperty("height").GetInt64());
            Assert.DoesNotContain(sets[1].GetProperty("validators").EnumerateArray(), v => v.GetProperty("publicKey").GetString() == cluster.GatewayKeys[3].PublicKeyHex);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("set-change-followed-1400.png"), FullPage = true });

        // A second change (gateway 2 out): the gateway rebuilds the middle set, neither the genesis nor the tip's, by
        // replay; a browser that still trusts the four steps across both changes.
        long second = await VoteOutAsync(cluster, 2, () => ++nonce);
        JsonElement both = (await cluster.GetAsync(0, "/validators/changes?after=0")).GetProperty("changes");
        Assert.Equal([announced, second], both.EnumerateArray().Select(c => c.GetProperty("height").GetInt64()));
        Assert.Equal([3, 2], both.EnumerateArray().Select(c => c.GetProperty("validators").GetArrayLength()));
        await page.EvaluateAsync("([k, v]) => localStorage.setItem(k, v)", new[] { storageKey, pinned });
        await page.ReloadAsync();
        await page.Locator("#balance-check.verified, #balance-check.unverified").WaitForAsync();
        Assert.Matches(@"^Verified at block \d+ by 2 of 2 gateways$", (await page.TextContentAsync("#balance-check"))!);
        using (JsonDocument trust = JsonDocument.Parse((await page.EvaluateAsync<string>($"localStorage.getItem('{storageKey}')"))!))
        {
            Assert.Equal([4, 3, 2], trust.RootElement.GetProperty("sets").EnumerateArray().Select(set => set.GetProperty("validators").GetArrayLength()));
        }

        // A browser that pinned the four before the change, served a made-up set for it: flagged, and its trust kept.
        await page.EvaluateAsync("([k, v]) => localStorage.setItem(k, v)", new[] { storageKey, pinned });
        await page.RouteAsync("**/validators/changes*", async route =>
        {
            IAPIResponse real = await route.FetchAsync();
            string body = await real.TextAsync();
            using Ed25519Signer stranger = Ed25519Signer.Generate();
            string forged = body.Replace(cluster.GatewayKeys[0].PublicKeyHex, Convert.ToHexStringLower(stranger.PublicKey), StringComparison.Ordinal);
            await route.FulfillAsync(new RouteFulfillOptions { Response = real, Body = forged });
        });
        await page.ReloadAsync();
        await page.Locator("#balance-check.unverified").WaitForAsync();
        string flagged = (await page.TextContentAsync("#balance-check"))!;
        Assert.Contains("names another validator set than the one the gateway offers", flagged);
        Assert.Equal(pinned, await page.EvaluateAsync<string>($"localStorage.getItem('{storageKey}')"));
        await page.Context.CloseAsync();
    }

    private int proposals;
    private readonly long[] memberNonces = new long[3];

    /// <summary>
    /// The three members vote gateway <paramref name="gateway"/> out; deposits make blocks until the proposal has closed
    /// after its voting period, the change is announced (a header whose field 8 names the new set) and two blocks later
    /// in effect. Returns the announcing height.
    /// </summary>
    private async Task<long> VoteOutAsync(WebCluster cluster, int gateway, Func<long> nextDepositNonce)
    {
        long before = (await cluster.GetAsync(0, "/validators/changes?after=0")).GetProperty("changes").GetArrayLength();
        byte[] leaving = Convert.FromHexString(cluster.GatewayKeys[gateway].PublicKeyHex);
        byte[] proposal = TestCommunity.Sign(new ProposalPayload(WebCluster.ChainId, ++memberNonces[0], $"Retire gateway {gateway} ({++proposals})", "It moves away.",
            new RemoveValidatorEffect(leaving)), cluster.Members[0]);
        await CommitAsync(cluster, proposal);
        byte[] id = Hashes.Sha256(proposal);
        for (int m = 0; m < 3; m++) await CommitAsync(cluster, TestCommunity.Sign(new VotePayload(WebCluster.ChainId, ++memberNonces[m], id, VoteChoice.Yes), cluster.Members[m]));
        long announced = 0;
        await WebCluster.UntilAsync(async () =>
        {
            // Blocks come only with work: a deposit now and then.
            await cluster.PostAsync(0, cluster.Deposit(nextDepositNonce(), 100));
            await Task.Delay(500);
            JsonElement changes = (await cluster.GetAsync(0, "/validators/changes?after=0")).GetProperty("changes");
            if (changes.GetArrayLength() == before) return false;
            announced = changes[changes.GetArrayLength() - 1].GetProperty("height").GetInt64();
            return await cluster.HeightAsync(0) >= announced + 2;
        }, $"gateway {gateway}'s removal to be decided, announced and in effect", seconds: 90);
        return announced;
    }

    /// <summary>Posts to gateway 0 and waits until the transaction is in a block.</summary>
    private static async Task CommitAsync(WebCluster cluster, byte[] transaction)
    {
        await cluster.PostAsync(0, transaction);
        string id = Convert.ToHexStringLower(Hashes.Sha256(transaction));
        await WebCluster.UntilAsync(async () =>
        {
            try
            {
                await cluster.GetAsync(0, "/transactions/" + id);
                return true;
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return false;
            }
        }, $"transaction {id[..12]} to commit");
    }
}
