using CommunityGrid.Peering.Transport;
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>
/// A simulated chain browsed in the web app: `cgrid simulate` writes a day of three houses, `cgrid gateway run
/// --read-only` serves it (both the real cgrid, as processes), and Chromium shows a verified balance and the simulated
/// day's statement ("today" is the chain's last day, not the calendar's).
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class SimulatedChainTests(Browser browser)
{
    [Fact]
    public async Task A_simulated_chain_served_read_only_shows_its_households_verified()
    {
        string directory = Directory.CreateTempSubdirectory("cgrid-webapp-sim-").FullName;
        try
        {
            Cgrid.Result simulated = Cgrid.Run("simulate", "--houses", "3", "--days", "1", "--seed", "7", "--out", directory);
            Assert.True(simulated.ExitCode == 0, simulated.Stderr);
            int port = LoopbackPorts.Reserve();
            using Process gateway = StartCgrid("gateway", "run", "--read-only", "--data", directory, "--http", $"127.0.0.1:{port}");
            try
            {
                string url = $"http://127.0.0.1:{port}";
                await WaitUntilServingAsync(url, gateway);
                IPage page = await browser.NewPageAsync();
                await page.GotoAsync(url + "/app/");
                await Expect.TextAsync(page, "#balance-check.verified", "Verified at block");
                await page.Locator("#statement-days tbody tr").Last.WaitForAsync();
                // The simulated day, in the browser's time zone (one or two local dates), then the total.
                Assert.InRange(await page.Locator("#statement-days tbody tr").CountAsync(), 2, 3);
                Assert.StartsWith("Total", await page.Locator("#statement-days tbody tr").Last.TextContentAsync());
                Assert.True(await page.Locator("#statement-intervals tbody tr").CountAsync() > 0, "the simulated day's intervals should be listed");
                await Expect.TextAsync(page, "#readings-check.verified", "Readings verified in their blocks");
                await page.Context.CloseAsync();
            }
            finally
            {
                gateway.Kill(entireProcessTree: true);
                gateway.WaitForExit(10_000);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Process StartCgrid(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cgrid.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start cgrid");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilServingAsync(string url, Process gateway)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(gateway.HasExited, $"cgrid gateway run --read-only exited with {(gateway.HasExited ? gateway.ExitCode : 0)}");
            try
            {
                using HttpResponseMessage response = await http.GetAsync(url + "/status");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) Assert.Fail("the read-only gateway did not serve /status within 60 s");
            await Task.Delay(200);
        }
    }
}
