using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>The council view in Debian's headless Chromium: totals, the fund, the gateways, silent meters, proposals.</summary>
[Collection(WebAppCollection.Name)]
public sealed class CouncilPageTests(Browser browser, WebGateway gateway)
{
    [Theory]
    [InlineData(Browser.Phone)]
    [InlineData(Browser.Desktop)]
    public async Task The_council_sees_the_fund_the_gateways_and_the_proposals_with_their_tallies(int width)
    {
        IPage page = await browser.NewPageAsync(width);
        await page.GotoAsync(gateway.Url + "/app/#council");
        await Expect.TextAsync(page, "#council-proposals", "A battery");

        FundResponse fund = Http.Get(gateway.Client, "/fund?limit=1000", ApiJsonContext.Default.FundResponse);
        Assert.Contains((fund.Fund / 100m).ToString("N2", CultureInfo.GetCultureInfo("en-GB")), await page.TextContentAsync("#fund"));
        Assert.Contains("Batteries Ltd", await page.TextContentAsync("#payouts"));
        Assert.Contains("shared battery", await page.TextContentAsync("#payouts"));
        Assert.True(await page.Locator("#fund-days tbody tr").CountAsync() >= 1);

        StatusResponse status = Http.Get(gateway.Client, "/status", ApiJsonContext.Default.StatusResponse);
        string gateways = (await page.TextContentAsync("#gateways"))!;
        Assert.Contains("127.0.0.1:7001", gateways);
        Assert.Contains($"block {status.Height}", gateways);
        Assert.Equal("This community has one gateway: it makes the blocks alone.", await page.TextContentAsync("#consensus-summary"));

        string[] battery = (await page.Locator("#council-proposals tbody tr", new() { HasTextString = "A battery" }).Locator("td").AllTextContentsAsync()).ToArray();
        Assert.Equal(["spending", "passed", "2", "1", "0", "3"], battery.Take(6));

        CommunityTotalsResponse totals = Http.Get(gateway.Client,
            $"/community/totals?from={status.LastClosedIntervalStart - (status.LastClosedIntervalStart + 3600) % 86400}&to={status.NextIntervalStart}&offsetMinutes=60",
            ApiJsonContext.Default.CommunityTotalsResponse);
        string today = (await page.Locator("#totals .card").First.TextContentAsync())!;
        Assert.Contains($"{totals.Total.InternalWh / 1000m:0.00} kWh", today);
        Assert.Contains($"{totals.Total.SelfSufficiencyPermille / 10m:0.0} %", today);
        Assert.True(totals.Total.InternalWh > 0, "the test community should trade inside");
        Assert.Contains("Every meter has been heard from", await page.TextContentAsync("#silent"));

        int scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth} px wide on a {width} px screen: it scrolls sideways");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath($"council-{width}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
