using System;
using System.Formats.Cbor;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>The household view in Debian's headless Chromium, served by the gateway, on a phone and a desktop.</summary>
[Collection(WebAppCollection.Name)]
public sealed class HouseholdPageTests(Browser browser, WebGateway gateway)
{
    private async Task<IPage> OpenAsync(int width = Browser.Desktop)
    {
        IPage page = await browser.NewPageAsync(width);
        await page.GotoAsync(gateway.Url + "/app/");
        // The page's controls take input once its script has wired them (body[data-ready]).
        await page.Locator("body[data-ready='true']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        return page;
    }

    [Theory]
    [InlineData(Browser.Phone)]
    [InlineData(Browser.Desktop)]
    public async Task A_household_sees_its_balance_verified_against_the_commit_and_its_statement(int width)
    {
        IPage page = await OpenAsync(width);
        await page.Locator("#balance-check.verified").WaitForAsync();

        BalanceResponse balance = Http.Get(gateway.Client, "/houses/h1/balance", ApiJsonContext.Default.BalanceResponse);
        Assert.Equal($"Verified at block {balance.Height} by 1 of 1 gateways", await page.TextContentAsync("#balance-check"));
        Assert.Contains((balance.Balance / 100m).ToString("N2", CultureInfo.GetCultureInfo("en-GB")), await page.TextContentAsync("#balance"));

        StatusResponse status = Http.Get(gateway.Client, "/status", ApiJsonContext.Default.StatusResponse);
        StatementResponse week = Http.Get(gateway.Client,
            $"/houses/h1/statement?from={status.NextIntervalStart - status.NextIntervalStart % 86400 - 6 * 86400 - 3600}&to={status.NextIntervalStart}&offsetMinutes=60",
            ApiJsonContext.Default.StatementResponse);
        await page.Locator("#statement-days tbody tr").Last.WaitForAsync();
        string[] rows = (await page.Locator("#statement-days tbody tr").AllTextContentsAsync()).ToArray();
        Assert.Equal(week.Days.Count + 1, rows.Length);
        Assert.StartsWith("Total", rows[^1]);
        Assert.Contains($"{week.Total.ImportInternalWh / 1000m:0.00} kWh", rows[^1]);
        Assert.Equal(week.Intervals.Count, await page.Locator("#statement-intervals tbody tr").CountAsync());
        Assert.Contains("format=csv", await page.GetAttributeAsync("#csv", "href"));

        Assert.Contains("m1 (grid connection)", await page.TextContentAsync("#meter-health"));
        // m1's import register grew by 300 + 10 × 11 Wh in the last 15-minute interval: 1640 W on average.
        Assert.Contains("Import1640 W", await page.TextContentAsync("#power"));
        await Expect.TextAsync(page, "#readings-check.verified", "Readings verified in their blocks (2 readings)");
        Assert.Contains("EUR/kWh", await page.TextContentAsync("#price"));

        int scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide on a {width} px screen: it scrolls sideways");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"household-{width}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_gateway_that_forges_the_balance_is_flagged_as_unverified()
    {
        IPage page = await browser.NewPageAsync();
        // The gateway claims 100.00 EUR more and builds a leaf for it: the path no longer leads to the signed state root.
        await page.RouteAsync("**/houses/h1/balance", async route =>
        {
            IAPIResponse real = await route.FetchAsync();
            JsonNode body = JsonNode.Parse(await real.TextAsync())!;
            long forged = body["balance"]!.GetValue<long>() + 10_000;
            body["balance"] = forged;
            body["proof"]!["value"] = Convert.ToHexStringLower(Cbor(w => w.WriteInt64(forged)));
            body["proof"]!["leaf"] = Convert.ToHexStringLower(Cbor(w =>
            {
                w.WriteStartArray(2);
                w.WriteTextString("balance/h1");
                w.WriteInt64(forged);
                w.WriteEndArray();
            }));
            await route.FulfillAsync(new RouteFulfillOptions { Response = real, Body = body.ToJsonString() });
        });
        await page.GotoAsync(gateway.Url + "/app/");
        await page.Locator("#balance-check.unverified").WaitForAsync();

        string check = (await page.TextContentAsync("#balance-check"))!;
        Assert.StartsWith("Not verified: the proof does not lead to the state root the validators signed", check);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_gateway_that_alters_a_reading_is_flagged_as_unverified()
    {
        IPage page = await browser.NewPageAsync();
        await page.RouteAsync("**/meters/m1/readings?*", async route =>
        {
            IAPIResponse real = await route.FetchAsync();
            JsonNode body = JsonNode.Parse(await real.TextAsync())!;
            JsonNode last = body["readings"]!.AsArray()[^1]!;
            last["importWh"] = last["importWh"]!.GetValue<long>() + 100;
            await route.FulfillAsync(new RouteFulfillOptions { Response = real, Body = body.ToJsonString() });
        });
        await page.GotoAsync(gateway.Url + "/app/");
        await Expect.TextAsync(page, "#readings-check.unverified", "is not what meter m1 signed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_member_imports_the_key_file_votes_and_sees_the_vote_counted_after_the_next_block()
    {
        IPage page = await OpenAsync();
        await page.Locator("#balance-check.verified").WaitForAsync();
        string id = Convert.ToHexStringLower(gateway.Resolution);
        await Expect.TextAsync(page, "#proposals", "Street party in June");
        ILocator proposal = page.Locator($"li[data-proposal='{id}']");
        Assert.True(await proposal.Locator("button").First.IsDisabledAsync(), "voting must need a member key");

        await page.SetInputFilesAsync("#keyfile", gateway.MemberKeyPath);
        await Expect.TextAsync(page, "#key-status", "Member key of house h1 loaded");
        long height = Http.Get(gateway.Client, "/status", ApiJsonContext.Default.StatusResponse).Height;
        await proposal.Locator("button[data-choice='yes']").ClickAsync();
        await Expect.TextAsync(page, "#action-status", "is in block");

        ProposalResponse after = Http.Get(gateway.Client, "/proposals/" + id, ApiJsonContext.Default.ProposalResponse);
        Assert.Contains(after.Votes, v => v.HouseId == "h1" && v.Choice == "yes");
        Assert.True(Http.Get(gateway.Client, "/status", ApiJsonContext.Default.StatusResponse).Height > height);
        await Expect.TextAsync(page, $"li[data-proposal='{id}'] .tally", "yes 1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_member_proposes_a_spending_from_the_fund_in_the_browser()
    {
        IPage page = await OpenAsync();
        await page.SetInputFilesAsync("#keyfile", gateway.MemberKeyPath);
        await Expect.TextAsync(page, "#key-status", "Member key of house h1 loaded");
        await page.SelectOptionAsync("#proposal-kind", "spending");
        await page.FillAsync("#proposal-title", "A bike rack");
        await page.FillAsync("#proposal-text", "Next to the transformer.");
        await page.FillAsync("#spending-amount", "0.01");
        await page.FillAsync("#spending-payee", "Racks & Co");
        await page.FillAsync("#spending-purpose", "bike rack");
        await page.ClickAsync("#new-proposal button[type='submit']");
        await Expect.TextAsync(page, "#action-status", "is in block");

        ProposalsResponse all = Http.Get(gateway.Client, "/proposals?status=open", ApiJsonContext.Default.ProposalsResponse);
        ProposalSummaryJson made = Assert.Single(all.Proposals, p => p.Title == "A bike rack");
        Assert.Equal(("spending", "h1"), (made.Kind, made.Proposer));
        ProposalResponse detail = Http.Get(gateway.Client, "/proposals/" + made.Id, ApiJsonContext.Default.ProposalResponse);
        Assert.Equal(((long?)1, "external", "Racks & Co", "bike rack"), (detail.Effect.Amount, detail.Effect.PayeeKind, detail.Effect.Payee, detail.Effect.Purpose));
        await Expect.TextAsync(page, "#proposals", "A bike rack");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_file_that_is_not_a_key_file_is_refused_with_what_to_choose()
    {
        IPage page = await OpenAsync();
        await page.SetInputFilesAsync("#keyfile", new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await Expect.TextAsync(page, "#key-status", "not a key file");
        Assert.True(await page.Locator("#new-statement button").IsDisabledAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_control_has_a_label_and_the_views_switch_from_the_keyboard()
    {
        IPage page = await OpenAsync();
        await page.Locator("#balance-check.verified").WaitForAsync();
        string[] unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input, select, textarea')].filter(e => e.labels.length === 0).map(e => e.id)");
        Assert.Empty(unlabelled);

        for (int i = 0; i < 10 && await page.EvaluateAsync<string>("document.activeElement.id") != "tab-council"; i++) await page.Keyboard.PressAsync("Tab");
        Assert.Equal("tab-council", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.Locator("#council").IsVisibleAsync());
        Assert.False(await page.Locator("#household").IsVisibleAsync());
        await page.Context.CloseAsync();
    }

    private static byte[] Cbor(Action<CborWriter> write)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        write(w);
        return w.Encode();
    }
}
