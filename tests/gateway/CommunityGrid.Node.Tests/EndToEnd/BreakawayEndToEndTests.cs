using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Tests.EndToEnd;

/// <summary>
/// A breakaway through real gateway processes on the wall clock, one-minute intervals: h2 leaves "old-e2e" with
/// <c>cgrid exit leave</c>, its exit becomes final when the interval before its exit interval closes, the new
/// community's genesis is written by <c>cgrid community split</c> from the running old gateway's data, a second
/// gateway starts "new-e2e" from it, h2's meter goes on reporting there with the same key and sequence, the treasurer
/// settles h2's exit record with <c>cgrid exit settle</c>, and both chains verify (<c>cgrid verify --parent-data</c>
/// for the new one). Every Wh of h2's meter is settled once: on the old chain before the exit interval, on the new one
/// from it. Takes three to four minutes.
/// </summary>
[Collection(nameof(WallClockGovernance))]
public sealed class BreakawayEndToEndTests : IDisposable
{
    private const int IntervalSeconds = WallClockStreet.IntervalSeconds;
    private readonly WallClockStreet street = new("cg-split-e2e", "gateway", "gateway2", "installer", "treasurer", "treasurer2", "h1", "h2", "h3", "m1", "m2");

    [Fact]
    public async Task Houses_leave_a_running_community_and_go_on_in_a_new_one_with_every_Wh_settled_once()
    {
        string oldData = Path.Combine(street.Directory, "old"), newData = Path.Combine(street.Directory, "new");
        Directory.CreateDirectory(oldData);
        Directory.CreateDirectory(newData);
        GenesisDocument genesis = street.Genesis("old-e2e", "Old street", graceSeconds: 2, "h1", "h2", "h3");
        string oldGenesisPath = Path.Combine(oldData, "genesis.json");
        GenesisFile.Write(oldGenesisPath, genesis);
        int oldPort = LoopbackPorts.Reserve();
        string oldApi = $"http://127.0.0.1:{oldPort}";
        using GatewayProcess oldGateway = await GatewayProcess.StartAsync(oldGenesisPath, oldData, street.KeyPaths["gateway"],
            "--http", $"127.0.0.1:{oldPort}", "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}");
        using var oldHttp = new HttpClient { BaseAddress = new Uri(oldApi), Timeout = TimeSpan.FromSeconds(10) };
        foreach ((string meter, string house) in new[] { ("m1", "h1"), ("m2", "h2") })
        {
            CgridRun.Ok("meter", "enrol", "--gateway", oldApi, "--installer-key", street.KeyPaths["installer"], "--meter-key-public", street.Keys[meter].PublicKeyHex,
                "--meter-id", meter, "--house", house, "--role", "connection", "--wait", "10");
        }

        // The exit interval: the one after the interval following the open one, so the exit is recorded before it opens.
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long exitStart = (now / IntervalSeconds + 2) * IntervalSeconds;
        var newChain = new NewChainEndpoint();
        using var cancel = new CancellationTokenSource();
        Task m1 = PostReadingsAsync("m1", _ => (oldHttp, "old-e2e"), cancel.Token);
        Task m2 = PostReadingsAsync("m2", start => start < exitStart ? (oldHttp, "old-e2e") : newChain.Target, cancel.Token);

        CgridRun.Ok("exit", "leave", "--gateway", oldApi, "--member-key", street.KeyPaths["h2"], "--to", "new-e2e", "--from", exitStart.ToString(), "--wait", "10");
        Assert.Contains("status     announced", CgridRun.Ok("exit", "show", "--gateway", oldApi, "--house", "h2"));

        // The exit becomes final when the interval before it closes.
        await WallClockStreet.PollAsync(oldHttp, "/houses/h2/exit", ApiJsonContext.Default.ExitResponse, e => e.Status != "announced", TimeSpan.FromSeconds(200), oldGateway);
        string splitGenesisPath = Path.Combine(newData, "genesis.json");
        CgridRun.Ok("community", "split", "--parent-data", oldData, "--id", "new-e2e", "--name", "New street", "--out", splitGenesisPath,
            "--installer", street.Keys["installer"].PublicKeyHex, "--treasurer", street.Keys["treasurer2"].PublicKeyHex,
            "--validator", street.Keys["gateway2"].PublicKeyHex + "@127.0.0.1:7002");
        GenesisDocument split = GenesisFile.Load(splitGenesisPath);
        Assert.Equal(["h2"], split.Members.Select(m => m.HouseId));
        Assert.Equal(exitStart * 1000, split.GenesisTimeMs);

        int newPort = LoopbackPorts.Reserve();
        using GatewayProcess newGateway = await GatewayProcess.StartAsync(splitGenesisPath, newData, street.KeyPaths["gateway2"],
            "--http", $"127.0.0.1:{newPort}", "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}");
        using var newHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{newPort}"), Timeout = TimeSpan.FromSeconds(10) };
        newChain.Target = (newHttp, "new-e2e");

        // The new chain settles the exit interval with the moved meter's energy.
        await WallClockStreet.PollAsync(newHttp, "/status", ApiJsonContext.Default.StatusResponse, s => s.NextIntervalStart > exitStart + IntervalSeconds, TimeSpan.FromSeconds(200), newGateway);
        cancel.Cancel();
        await Task.WhenAll(m1, m2);

        ExitResponse exit = await WallClockStreet.PollAsync(oldHttp, "/houses/h2/exit", ApiJsonContext.Default.ExitResponse, _ => true, TimeSpan.FromSeconds(5), oldGateway);
        Assert.True(exit.Owed < 0, $"h2 only imported, so it owes the community: {exit.Owed}");
        CgridRun.Ok("exit", "settle", "--gateway", oldApi, "--treasurer-key", street.KeyPaths["treasurer"], "--house", "h2",
            "--received-from-house", (-exit.Owed).ToString(), "--reference", "bank 2026-06-03", "--wait", "10");
        Assert.Contains("status     closed", CgridRun.Ok("exit", "show", "--gateway", oldApi, "--house", "h2"));

        Assert.Equal(0, await oldGateway.StopAsync());
        Assert.Equal(0, await newGateway.StopAsync());
        CgridRun.Result verifyOld = CgridRun.Run("verify", "--data", oldData);
        Assert.True(verifyOld.ExitCode == 0, verifyOld.ToString());
        CgridRun.Result verifyNew = CgridRun.Run("verify", "--data", newData, "--parent-data", oldData);
        Assert.True(verifyNew.ExitCode == 0, verifyNew.ToString());
        Assert.Contains("parent link checks out", verifyNew.Stdout);

        // Every Wh of m2 once: settled on the old chain before the exit interval, on the new chain from it (or pending there).
        using ChainStore oldStore = ChainStore.Open(Path.Combine(oldData, GatewayNode.DatabaseFileName), genesis, VerifyMode.Headers);
        using ChainStore newStore = ChainStore.Open(Path.Combine(newData, GatewayNode.DatabaseFileName), split, VerifyMode.Headers);
        (long oldWh, long oldLast) = SettledImport(oldStore, "h2");
        (long newWh, long newFirst) = SettledImport(newStore, "h2");
        Assert.True(oldLast < exitStart && newFirst >= exitStart, $"old chain settled h2 up to {oldLast}, new chain from {newFirst}; exit {exitStart}");
        long pending = newStore.State.View().WithPrefix(StateKeys.PendingPrefix).Where(p => p.Key.EndsWith("/h2", StringComparison.Ordinal))
            .Sum(p => PendingEnergy.Decode(p.Value).ImportWh);
        Assert.True(newWh > 0, "the new chain settled none of the moved meter's energy");
        Assert.Equal(newStore.State.View().Meter("m2")!.ImportWh, oldWh + newWh + pending);
    }

    private sealed class NewChainEndpoint
    {
        public (HttpClient Http, string ChainId)? Target { get; set; }
    }

    /// <summary>A meter importing 100 Wh every two seconds, its reading sent to the chain its interval belongs to (held back until that chain runs).</summary>
    private async Task PostReadingsAsync(string meterId, Func<long, (HttpClient, string)?> route, CancellationToken cancel)
    {
        using Ed25519Signer meter = Ed25519Signer.FromSeed(street.Keys[meterId].Seed);
        long sequence = 0, importWh = 0;
        while (!cancel.IsCancellationRequested)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            long start = now - now % IntervalSeconds;
            importWh += 100;
            if (route(start) is (HttpClient http, string chainId))
            {
                byte[] reading = SignedReadingCodec.Create(new MeterReading(chainId, meterId, ++sequence, start, IntervalSeconds, importWh, 0, 0, "e2e"), meter);
                using var content = new ByteArrayContent(reading);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
                using HttpResponseMessage response = await http.PostAsync("/transactions", content, CancellationToken.None);
                Assert.True(response.IsSuccessStatusCode, $"{meterId} to {chainId}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            }
            try
            {
                await Task.Delay(2000, cancel);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }

    private static (long ImportWh, long LastOrFirstInterval) SettledImport(ChainStore store, string house)
    {
        long wh = 0, last = long.MinValue, first = long.MaxValue;
        for (long h = 1; h <= store.Height; h++)
        {
            foreach (SettlementResult s in store.GetBlock(h)!.Block.Body.Settlements)
            {
                foreach (HouseSettlement hs in s.Houses.Where(x => x.HouseId == house && x.ImportWh > 0))
                {
                    wh += hs.ImportWh;
                    last = Math.Max(last, s.IntervalStart);
                    first = Math.Min(first, s.IntervalStart);
                }
            }
        }
        return (wh, store.Genesis.Parent is null ? last : first);
    }

    public void Dispose() => street.Dispose();
}
