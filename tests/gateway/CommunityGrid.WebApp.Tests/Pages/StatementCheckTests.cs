using System.Text.Json.Nodes;
using System.Threading.Tasks;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>The statement checked in the browser: every interval against the settlement its block recorded and signed.</summary>
[Collection(WebAppCollection.Name)]
public sealed class StatementCheckTests(Browser browser, WebGateway gateway)
{
    [Fact]
    public async Task A_statement_checks_out_interval_by_interval_against_the_blocks()
    {
        IPage page = await browser.NewPageAsync();
        await page.GotoAsync(gateway.Url + "/app/");
        await page.Locator("#statement-days tbody tr").Last.WaitForAsync();
        await page.ClickAsync("#check-statement");
        await Expect.TextAsync(page, "#statement-check", $"Verified: all {WebGateway.Intervals} intervals are what their blocks recorded, signed by 1 of 1 gateways");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_gateway_that_shrinks_a_bill_in_the_statement_is_caught()
    {
        IPage page = await browser.NewPageAsync();
        await page.RouteAsync("**/houses/h1/statement?*", async route =>
        {
            IAPIResponse real = await route.FetchAsync();
            JsonNode body = JsonNode.Parse(await real.TextAsync())!;
            JsonNode line = body["intervals"]![3]!["line"]!;
            line["cost"] = line["cost"]!.GetValue<long>() - 5;
            await route.FulfillAsync(new RouteFulfillOptions { Response = real, Body = body.ToJsonString() });
        });
        await page.GotoAsync(gateway.Url + "/app/");
        await page.Locator("#statement-days tbody tr").Last.WaitForAsync();
        await page.ClickAsync("#check-statement");
        await Expect.TextAsync(page, "#statement-check", "Not verified (3 of 12 intervals checked): the statement's figures for");
        await page.Context.CloseAsync();
    }
}
