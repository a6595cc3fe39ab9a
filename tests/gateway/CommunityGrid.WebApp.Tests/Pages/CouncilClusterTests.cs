using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.WebApp.Tests.Support;
using Microsoft.Playwright;

namespace CommunityGrid.WebApp.Tests.Pages;

/// <summary>
/// The council's gateways table against four real gateway processes: each validator's link from the serving gateway,
/// the height of its chain, the last block its precommit is in and the evidence against it, and what changes when one
/// gateway stops and the other three go on.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class CouncilClusterTests(Browser browser)
{
    private const int Gateways = 4;

    [Fact]
    public async Task The_council_sees_each_gateway_s_link_height_last_signed_block_and_evidence_and_a_stopped_one()
    {
        await using var cluster = new WebCluster(Gateways);
        for (int g = 0; g < Gateways; g++) await cluster.StartAsync(g);
        await cluster.PostAsync(1, cluster.Deposit(1, 500));
        long tip = await AllAgreeAsync(cluster, Gateways, minHeight: 1);

        IPage page = await browser.NewPageAsync(Browser.Desktop);
        await page.GotoAsync(cluster.Url(0) + "/app/#council");
        await Expect.TextAsync(page, "#consensus-summary", "rounds per block");
        string[][] rows = await RowsAsync(page);
        Assert.Equal(Gateways, rows.Length);
        string[] keys = cluster.GatewayKeys.Select(k => k.PublicKeyHex[..16] + "…").ToArray();
        string[] self = rows.Single(r => r[0] == keys[0]);
        Assert.Equal(["this gateway", $"block {tip}", "none"], new[] { self[2], self[3], self[5] });
        foreach (string[] peer in rows.Where(r => r[0] != keys[0]))
        {
            Assert.Equal(["connected", $"block {tip}", "none"], new[] { peer[2], peer[3], peer[5] });
            Assert.Contains(peer[1], cluster.PeerPorts.Select(p => $"127.0.0.1:{p}"));
        }
        // A commit carries at least a quorum (3 of 4) of precommits: so many validators signed the tip.
        Assert.True(rows.Count(r => r[4] == $"block {tip} (the tip)") >= 3, string.Join("\n", rows.Select(r => string.Join(" | ", r))));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("council-cluster-1400.png"), FullPage = true });

        // Gateway 3 stops; the other three commit a block without it.
        await cluster.StopAsync(3);
        await cluster.PostAsync(1, cluster.Deposit(2, 700));
        long next = await AllAgreeAsync(cluster, Gateways - 1, minHeight: tip + 1);
        await WebCluster.UntilAsync(async () => !(await PeerAsync(cluster, keys[3])).GetProperty("connected").GetBoolean(), "g0 to see g3 down");
        await page.ReloadAsync();
        await Expect.TextAsync(page, "#gateways", $"block {next} (the tip)");
        rows = await RowsAsync(page);
        string[] stopped = rows.Single(r => r[0] == keys[3]);
        Assert.StartsWith("down", stopped[2]);
        Assert.True(long.Parse(stopped[3]["block ".Length..], System.Globalization.CultureInfo.InvariantCulture) < next, "g3's last reported height is before it stopped");
        Assert.DoesNotContain("(the tip)", stopped[4]);
        Assert.All(rows.Where(r => r[0] != keys[3]), r => Assert.Equal($"block {next} (the tip)", r[4]));
        Assert.Equal($"block {next}", rows.Single(r => r[0] == keys[0])[3]);

        IPage phone = await browser.NewPageAsync(Browser.Phone);
        await phone.GotoAsync(cluster.Url(1) + "/app/#council");
        await Expect.TextAsync(phone, "#gateways", "this gateway");
        int scrollWidth = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= Browser.Phone, $"the page is {scrollWidth} px wide on a {Browser.Phone} px screen: it scrolls sideways");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("council-cluster-390.png"), FullPage = true });
        await phone.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>Waits until the first <paramref name="running"/> gateways store the same height of at least <paramref name="minHeight"/> and gateway 0 has heard it from each; returns it.</summary>
    private static async Task<long> AllAgreeAsync(WebCluster cluster, int running, long minHeight)
    {
        long agreed = 0;
        await WebCluster.UntilAsync(async () =>
        {
            long[] heights = new long[running];
            for (int g = 0; g < running; g++) heights[g] = await cluster.HeightAsync(g);
            if (heights.Min() < minHeight || heights.Distinct().Count() != 1) return false;
            JsonElement peers = (await cluster.GetAsync(0, "/status")).GetProperty("consensus").GetProperty("peers");
            bool reported = Enumerable.Range(1, running - 1).All(g => peers.EnumerateArray().Any(p =>
                p.GetProperty("key").GetString() == cluster.GatewayKeys[g].PublicKeyHex
                // "height" is left out while no status of that peer has arrived yet (a fresh connection).
                && p.TryGetProperty("height", out JsonElement height) && height.ValueKind == JsonValueKind.Number && height.GetInt64() == heights[0]));
            agreed = heights[0];
            return reported;
        }, $"gateways 0..{running - 1} to agree on a height of at least {minHeight}");
        return agreed;
    }

    private static async Task<JsonElement> PeerAsync(WebCluster cluster, string shortKey) =>
        (await cluster.GetAsync(0, "/status")).GetProperty("consensus").GetProperty("peers").EnumerateArray()
            .Single(p => p.GetProperty("key").GetString()!.StartsWith(shortKey.TrimEnd('…'), StringComparison.Ordinal));

    private static async Task<string[][]> RowsAsync(IPage page)
    {
        ILocator rows = page.Locator("#gateways tbody tr");
        int count = await rows.CountAsync();
        var result = new string[count][];
        for (int i = 0; i < count; i++) result[i] = (await rows.Nth(i).Locator("th, td").AllTextContentsAsync()).ToArray();
        return result;
    }
}
