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
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Tests.EndToEnd;

/// <summary>
/// Governance through a real gateway process on the wall clock, with one-minute intervals and a 40-second vote:
/// a member proposes a retail price change with <c>cgrid proposal new</c>, three houses vote with <c>cgrid vote</c>,
/// the change applies at the boundary the tally names, intervals before it settle at the old price and intervals
/// from it at the new one, and <c>cgrid verify</c> replays the chain from genesis to the same state.
/// Takes two to three minutes: it has to live through the vote and two interval boundaries.
/// </summary>
[Collection(nameof(WallClockGovernance))]
public sealed class GovernanceEndToEndTests : IDisposable
{
    private const int IntervalSeconds = WallClockStreet.IntervalSeconds;
    private const long OldRetail = 300;
    private const long NewRetail = 500;
    private readonly WallClockStreet street = new("cg-gov-e2e", "gateway", "installer", "treasurer", "h1", "h2", "h3", "m1");
    private readonly string data;

    public GovernanceEndToEndTests()
    {
        data = street.DataDirectory("data");
    }

    [Fact]
    public async Task A_voted_price_change_applies_at_its_boundary_and_the_chain_replays_to_the_same_state()
    {
        GenesisDocument genesis = street.Genesis("gov-e2e", "Governance street", graceSeconds: 2, "h1", "h2", "h3") with
        {
            RetailPrice = OldRetail,
            // Long enough for three cgrid processes to start and vote on a busy machine, short enough for a test.
            Governance = new GovernanceRules { VotingPeriodSeconds = 40, QuorumPermille = 500 },
        };
        string genesisPath = Path.Combine(data, "genesis.json");
        GenesisFile.Write(genesisPath, genesis);
        int httpPort = LoopbackPorts.Reserve();
        string api = $"http://127.0.0.1:{httpPort}";
        using GatewayProcess gateway = await GatewayProcess.StartAsync(genesisPath, data, street.KeyPaths["gateway"],
            "--http", $"127.0.0.1:{httpPort}", "--mqtt", $"127.0.0.1:{LoopbackPorts.Reserve()}");
        using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromSeconds(10) };

        CgridRun.Ok("meter", "enrol", "--gateway", api, "--installer-key", street.KeyPaths["installer"], "--meter-key-public", street.Keys["m1"].PublicKeyHex,
            "--meter-id", "m1", "--house", "h1", "--role", "connection", "--wait", "10");
        using var cancelReadings = new CancellationTokenSource();
        Task readings = PostReadingsAsync(http, genesis.ChainId, cancelReadings.Token);

        string proposalId = CgridRun.Ok("proposal", "new", "--gateway", api, "--member-key", street.KeyPaths["h2"], "--kind", "parameters",
            "--set", $"retailPrice={NewRetail}", "--title", "The grid raised its price", "--text", "Follow the utility's new tariff.", "--wait", "10");
        // The three houses vote at the same time, as three people would; each cgrid waits until its vote is in a block.
        await Task.WhenAll(new[] { ("h1", "yes"), ("h2", "yes"), ("h3", "no") }.Select(v => Task.Run(() =>
            CgridRun.Ok("vote", "--gateway", api, "--member-key", street.KeyPaths[v.Item1], "--proposal", proposalId, "--choice", v.Item2, "--wait", "20"))));

        ProposalResponse passed = await WallClockStreet.PollAsync(http, "/proposals/" + proposalId, ApiJsonContext.Default.ProposalResponse,
            p => p.Proposal.Status != "open", TimeSpan.FromSeconds(90), gateway);
        Assert.Equal(("passed", true), (passed.Proposal.Status, passed.Final));
        Assert.Equal(new TallyJson(2, 1, 0, 3, 3), passed.Tally);
        long boundary = passed.Proposal.EffectiveIntervalStart!.Value;
        Assert.Equal(0, boundary % IntervalSeconds);
        Assert.True(boundary * 1000 > passed.Proposal.ClosesMs, "the change must take effect after the vote closed");

        // Wait until the interval starting at the boundary has closed: then one interval before it and one from it are settled.
        await WallClockStreet.PollAsync(http, "/status", ApiJsonContext.Default.StatusResponse, s => s.NextIntervalStart > boundary, TimeSpan.FromSeconds(150), gateway);
        cancelReadings.Cancel();
        await readings;
        string show = CgridRun.Ok("proposal", "show", proposalId, "--gateway", api);
        Assert.Contains("status     in effect", show);
        Assert.Contains($"retailPrice = {NewRetail}", show);

        var settled = new List<SettlementJson>();
        for (long start = boundary - IntervalSeconds; start <= boundary; start += IntervalSeconds)
        {
            using HttpResponseMessage response = await http.GetAsync($"/intervals/{start}/settlement");
            settled.Add(JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ApiJsonContext.Default.SettlementResponse)!.Settlement);
        }
        SettlementJson before = settled[0], after = settled[1];
        Assert.True(before.GridImportWh > 0 && after.GridImportWh > 0, $"both intervals need imports: {before.GridImportWh} Wh, {after.GridImportWh} Wh; log:\n{gateway.Log}");
        Assert.Equal(before.GridImportWh * OldRetail / 1000, before.GridCost);
        Assert.Equal(after.GridImportWh * NewRetail / 1000, after.GridCost);

        Assert.Equal(0, await gateway.StopAsync());
        CgridRun.Result verify = CgridRun.Run("verify", "--data", data);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("VALID", verify.Stdout);

        // Replay by hand as well: block by block from genesis to the stored tip's state root and parameters.
        using ChainStore store = ChainStore.Open(Path.Combine(data, GatewayNode.DatabaseFileName), genesis, VerifyMode.Headers);
        ChainState replayed = ChainState.FromGenesis(genesis);
        for (long h = 1; h <= store.Height; h++) replayed.ApplyBlock(store.GetBlock(h)!.Block);
        Assert.Equal(Convert.ToHexStringLower(store.State.StateRoot), Convert.ToHexStringLower(replayed.StateRoot));
        Assert.Equal(NewRetail, replayed.View().Parameters.RetailPrice);
        Assert.Equal(ProposalStatus.InEffect, replayed.View().Proposal(Convert.FromHexString(proposalId))!.Status);
    }

    /// <summary>Meter m1 imports 100 Wh every two seconds, reporting the current interval, posted over the API.</summary>
    private async Task PostReadingsAsync(HttpClient http, string chainId, CancellationToken cancel)
    {
        using Ed25519Signer meter = Ed25519Signer.FromSeed(street.Keys["m1"].Seed);
        long sequence = 0, importWh = 0;
        while (!cancel.IsCancellationRequested)
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            importWh += 100;
            byte[] reading = SignedReadingCodec.Create(
                new MeterReading(chainId, "m1", ++sequence, now - now % IntervalSeconds, IntervalSeconds, importWh, 0, 0, "e2e"), meter);
            using var content = new ByteArrayContent(reading);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
            using HttpResponseMessage response = await http.PostAsync("/transactions", content, CancellationToken.None);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None));
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

    public void Dispose() => street.Dispose();
}

/// <summary>
/// The governance end-to-end test lives through wall-clock minutes with a real gateway and several cgrid processes; it
/// runs on its own, after the parallel tests, so that neither starves the other's timeouts on a busy machine.
/// </summary>
[CollectionDefinition(nameof(WallClockGovernance), DisableParallelization = true)]
public sealed class WallClockGovernance;
