using System;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Support;

public static class Expect
{
    /// <summary>Waits up to <paramref name="seconds"/> for <paramref name="selector"/> to contain <paramref name="text"/>; fails with what it held instead.</summary>
    public static async Task TextAsync(IPage page, string selector, string text, int seconds = 30)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            seen = await page.Locator(selector).First.TextContentAsync(new LocatorTextContentOptions { Timeout = 1000 }).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
            if (seen?.Contains(text, StringComparison.Ordinal) == true) return;
            await Task.Delay(100);
        }
        string? error = await page.Locator("#error").TextContentAsync();
        Assert.Fail($"{selector} should contain \"{text}\" within {seconds} s but holds \"{seen}\" (page error: \"{error}\")");
    }
}
