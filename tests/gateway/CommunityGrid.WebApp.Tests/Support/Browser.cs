using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Support;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium) driven by Microsoft.Playwright; Playwright's own browser downloads
/// are never used. Every background connection is off and every host but the gateway's loopback address is
/// unresolvable, so the page must need nothing from the network beyond its gateway.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";
    public const int Phone = 390, Desktop = 1400;

    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            Assert.Fail($"{Executable} is missing: the web app tests need Debian's chromium. Run ./test.sh (it installs it) or apt-get install -y chromium");
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        });
    }

    /// <summary>A fresh browser profile (nothing pinned yet) at <paramref name="width"/> px, in a fixed time zone.</summary>
    public async Task<IPage> NewPageAsync(int width = Desktop, int height = 900)
    {
        IBrowserContext context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "Europe/Amsterdam",
            Locale = "en-GB",
        });
        return await context.NewPageAsync();
    }

    /// <summary>artifacts/webapp-screenshots/ in the checkout (ignored by git), or a temporary folder outside one.</summary>
    public static string ScreenshotPath(string name)
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CommunityGrid.sln"))) dir = dir.Parent;
        string path = dir is null ? Path.Combine(Path.GetTempPath(), "cgrid-webapp-screenshots") : Path.Combine(dir.FullName, "artifacts", "webapp-screenshots");
        Directory.CreateDirectory(path);
        return Path.Combine(path, name);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
    }
}
