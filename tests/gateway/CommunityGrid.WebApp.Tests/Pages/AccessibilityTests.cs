using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.WebApp.Tests.Support;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>axe-core's WCAG 2.1 A and AA rules (contrast, labels, names, landmarks, …) over both views, on a phone and a desktop.</summary>
[Collection(WebAppCollection.Name)]
public sealed class AccessibilityTests(Browser browser, WebGateway gateway)
{
    [Theory]
    [InlineData("", "#balance-check.verified", Browser.Phone)]
    [InlineData("", "#balance-check.verified", Browser.Desktop)]
    [InlineData("#council", "#council-proposals tbody tr", Browser.Phone)]
    [InlineData("#council", "#council-proposals tbody tr", Browser.Desktop)]
    public async Task Both_views_pass_the_wcag_a_and_aa_rules(string view, string loaded, int width)
    {
        IPage page = await browser.NewPageAsync(width);
        await page.GotoAsync(gateway.Url + "/app/" + view);
        await page.Locator(loaded).First.WaitForAsync();
        AxeResult result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        string violations = string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}"));
        Assert.True(result.Violations.Length == 0, $"axe found:\n{violations}");
        Assert.NotEmpty(result.Passes);
        await page.Context.CloseAsync();
    }
}
