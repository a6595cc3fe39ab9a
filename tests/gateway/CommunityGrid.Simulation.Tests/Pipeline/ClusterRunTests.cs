using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>8 houses for 3 hours on 4 street gateways, each a full node over real TLS peering on loopback; shared by the tests that only read it.</summary>
public sealed class FourGatewayRun : IAsyncLifetime
{
    public SimulationOptions Options { get; } = SmallRun.Options(8) with { Hours = 3, Gateways = 4, GovernanceEvent = false };
    public SimulationResult Result { get; private set; } = null!;
    public ReportData Report { get; private set; } = null!;

    public async Task InitializeAsync() => (Result, Report) = await SmallRun.RunAsync(Options);

    public Task DisposeAsync()
    {
        Directory.Delete(Options.OutputDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

public class ClusterRunTests(FourGatewayRun run) : IClassFixture<FourGatewayRun>
{
    [Fact]
    public void EveryGatewaysStoreHoldsTheSameVerifiedChain()
    {
        GatewaysReport gateways = run.Report.Gateways!;
        Assert.Equal(4, gateways.Gateways.Count);
        Assert.All(gateways.Gateways, g => Assert.True(g.Valid, $"{g.Name}: {g.Verdict}"));
        Assert.True(gateways.Identical);
        Assert.Single(gateways.Gateways.Select(g => g.TipHash).Distinct());
        // The copy at OUTPUT/chain.sqlite is gateway 1's chain, so the report and `cgrid verify --data OUTPUT` read the same.
        Assert.Equal(gateways.Gateways[0].TipHash, run.Report.Community.TipHash);
        Assert.True(gateways.Gateways[0].Height >= 2, "the run committed its enrolments and readings");
        Assert.Equal(0, run.Result.Rejected);
        Assert.Equal(0, run.Result.SettleWaitTimeouts);
        Assert.Equal(0, run.Result.GossipWaitTimeouts);
    }

    [Fact]
    public void BlocksProposedAddUpToTheChainsHeightAndRoundsCoverEveryHeight()
    {
        GatewaysReport gateways = run.Report.Gateways!;
        long height = gateways.Gateways[0].Height;
        Assert.Equal(height, gateways.Gateways.Sum(g => g.BlocksProposed));
        Assert.Equal(height, gateways.RoundsPerHeight.Sum(r => r.Heights));
        using ChainStore store = SmallRun.Open(run.Result);
        // Recount from the stored blocks: field 9 of each header, and each commit certificate's round.
        for (int i = 0; i < 4; i++)
        {
            string key = store.Genesis.Validators[i].PublicKey;
            long proposed = Enumerable.Range(1, (int)store.Height).Count(h => Convert.ToHexStringLower(store.GetBlock(h)!.Block.Header.Proposer) == key);
            Assert.Equal(proposed, gateways.Gateways[i].BlocksProposed);
        }
        Assert.True(gateways.Gateways.Count(g => g.BlocksProposed > 0) >= 2, "proposers rotate over the validator set");
    }

    [Fact]
    public void HousesSplitAcrossStreetsInContiguousGroupsAndTheReportShowsTheSection()
    {
        GatewaysReport gateways = run.Report.Gateways!;
        Assert.Equal([(1, 2), (3, 4), (5, 6), (7, 8)], gateways.Gateways.Select(g => (g.FirstHouse, g.LastHouse)));
        string html = File.ReadAllText(Path.Combine(run.Options.OutputDirectory, ReportFiles.Html));
        Assert.Contains("id=\"gateways\"", html);
        Assert.Contains("id=\"gateways-identical\"", html);
        Assert.Contains("id=\"rounds\"", html);
        foreach (int g in Enumerable.Range(1, 4))
        {
            Assert.True(File.Exists(Path.Combine(run.Options.GatewayDirectory(g), SimulationOptions.ChainFileName)), $"g{g} has its own store");
        }
    }

    [Fact]
    public async Task SettlementsEqualThoseOfTheSingleGatewayRunWithTheSameSeed()
    {
        SimulationOptions single = run.Options with { Gateways = 1, OutputDirectory = SmallRun.NewDirectory() };
        try
        {
            (_, ReportData one) = await SmallRun.RunAsync(single, mqtt: true);
            // The chain settles by block time, not by which gateway proposed: every interval and house comes out the same.
            Assert.Equal(one.Intervals, run.Report.Intervals);
            Assert.Equal(one.Houses, run.Report.Houses);
            Assert.Equal(one.Summary with { Blocks = 0 }, run.Report.Summary with { Blocks = 0 });
        }
        finally
        {
            Directory.Delete(single.OutputDirectory, recursive: true);
        }
    }
}

public class StoppedGatewayTests(FourGatewayRun run) : IClassFixture<FourGatewayRun>
{
    [Fact]
    public async Task OthersCommitWhileAGatewayIsDownAndItCatchesUpToTheSameChain()
    {
        // From the boundary on: the stop applies before the step's readings are published, so none is lost with it.
        var stop = new GatewayStop(2, 3600, 7200);
        SimulationOptions options = run.Options with { OutputDirectory = SmallRun.NewDirectory(), Failures = FailurePlan.None with { GatewayStops = [stop] } };
        try
        {
            (SimulationResult result, ReportData report) = await SmallRun.RunAsync(options);
            Assert.Equal(1, result.GatewayStops);
            GatewaysReport gateways = report.Gateways!;
            Assert.All(gateways.Gateways, g => Assert.True(g.Valid, $"{g.Name}: {g.Verdict}"));
            Assert.True(gateways.Identical, "g2 caught up by block sync to the others' tip");

            using ChainStore store = SmallRun.Open(result);
            long from = options.StartUnixSeconds * 1000 + stop.FromSeconds * 1000, to = options.StartUnixSeconds * 1000 + stop.ToSeconds * 1000;
            var duringStop = Enumerable.Range(1, (int)store.Height).Select(h => store.GetBlock(h)!.Block.Header).Where(h => h.TimeMs >= from && h.TimeMs < to).ToList();
            Assert.True(duringStop.Count >= 4, $"the other three committed while g2 was down ({duringStop.Count} blocks)");
            string g2 = store.Genesis.Validators[1].PublicKey;
            Assert.DoesNotContain(duringStop, h => Convert.ToHexStringLower(h.Proposer) == g2);

            // g2's meters failed over to g3 and nothing was lost: every interval settled exactly as in the run without a stop.
            Assert.Equal(run.Report.Intervals, report.Intervals);
            Assert.Equal(run.Report.Houses, report.Houses);
            Assert.Equal(0, result.Rejected);
        }
        finally
        {
            Directory.Delete(options.OutputDirectory, recursive: true);
        }
    }
}
