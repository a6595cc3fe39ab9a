using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Verification;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>
/// <c>--split 2:2026-06-02</c> on six houses over two days: h005 and h006 leave from the second day; their community
/// starts from the exit records beside the old one, and every Wh and every minor unit is accounted for once.
/// </summary>
public sealed class SplitRunTests
{
    private static readonly SplitPlan Plan = new(2, new DateOnly(2026, 6, 2));

    /// <summary>
    /// Over MQTT the meters are light clients of both chains: the leavers' meters install the new community's genesis
    /// set. Every proof verifies, and none is missing: the old gateway used to fail building every meter's proof once a
    /// house's exit was final (its balance entry is gone), so no reading of the old community was released any more and
    /// the run stalled (cancelled here after a bound far above its normal length). The leavers' last readings on the
    /// old chain cannot be proved there after the exit (no balance entry); the new chain's proofs release them.
    /// </summary>
    [Fact]
    public async Task Over_mqtt_every_meter_of_both_communities_is_released_by_verified_proofs()
    {
        SimulationOptions options = SmallRun.Options(3) with { Days = 2, Split = new SplitPlan(1, new DateOnly(2026, 6, 2)) };
        using var bound = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(4));
        SimulationResult result = await new CommunitySimulation(options, c => new MqttTransport(c)).RunAsync(cancel: bound.Token);
        Assert.NotNull(result.Split);
        Assert.Equal(0, result.Proofs.Refused);
        Assert.Equal(0, result.Proofs.WaitTimeouts);
        Assert.True(result.Proofs.Verified > 0);
        Assert.Equal(result.ReadingsMade, result.ReadingsAccepted + result.Split!.ReadingsAccepted);
        Directory.Delete(options.OutputDirectory, recursive: true);
    }

    [Fact]
    public async Task Both_communities_run_verify_and_every_Wh_of_the_leavers_is_settled_once()
    {
        SimulationOptions options = SmallRun.Options(6) with { Days = 2, Split = Plan };
        SimulationResult result = await new CommunitySimulation(options).RunAsync();
        SplitOutcome split = Assert.IsType<SplitOutcome>(result.Split);
        Assert.True(ChainCheck.Verify(options.OutputDirectory).Valid);
        Assert.True(ChainCheck.Verify(split.Directory).Valid);
        GenesisDocument newGenesis = GenesisFile.Load(split.GenesisPath);
        Assert.Empty(ParentLink.Check(newGenesis, options.OutputDirectory, null));
        Assert.Equal(["h005", "h006"], newGenesis.Members.Select(m => m.HouseId));

        using ChainStore old = SmallRun.Open(result, VerifyMode.Headers);
        using ChainStore fresh = ChainStore.Open(split.ChainPath, newGenesis, VerifyMode.Headers);
        SimulatedCommunity community = SimulatedCommunity.Build(options.Community, options.StartUnixSeconds * 1000);
        long exit = Plan.ExitIntervalStart;
        foreach (SimulatedHouse house in community.Leavers(Plan))
        {
            (long oldImport, long oldExport, long lastOld) = Settled(old, house.HouseId);
            (long newImport, long newExport, long firstNew) = Settled(fresh, house.HouseId, first: true);
            Assert.True(lastOld < exit && firstNew >= exit, $"{house.HouseId}: old chain settled up to {lastOld}, new one from {firstNew}");
            MeterRecord meter = fresh.State.View().Meter(house.GridMeter.MeterId)!;
            (long pendingImport, long pendingExport) = Pending(fresh, house.HouseId);
            Assert.Equal(meter.ImportWh - house.GridMeter.InitialImportWh, oldImport + newImport + pendingImport);
            Assert.Equal(meter.ExportWh - house.GridMeter.InitialExportWh, oldExport + newExport + pendingExport);
            Assert.True(newImport + newExport > 0, $"{house.HouseId} settled nothing on the new chain");
        }

        // Money: what all settlements brought in equals the members' balances, the fund and the leavers' open exit amounts.
        StateView view = old.State.View();
        long settled = AllSettlements(old).Sum(s => s.GridRevenue - s.GridCost);
        long positions = community.Houses.Where(h => view.IsMember(h.HouseId)).Sum(h => view.Balance(h.HouseId))
            + community.Leavers(Plan).Sum(h => view.Exit(h.HouseId)!.Owed) + view.Fund;
        Assert.Equal(settled, positions);
        Assert.Equal(0, fresh.State.View().Fund - AllSettlements(fresh).Sum(s => s.FundIncome));
        Directory.Delete(options.OutputDirectory, recursive: true);
    }

    [Fact]
    public void A_split_must_leave_someone_behind_and_happen_within_the_run()
    {
        SimulationOptions options = SmallRun.Options(6) with { Days = 2 };
        Assert.Throws<ArgumentException>(() => (options with { Split = new SplitPlan(6, new DateOnly(2026, 6, 2)) }).Validate());
        Assert.Throws<ArgumentException>(() => (options with { Split = new SplitPlan(2, new DateOnly(2026, 6, 1)) }).Validate());
        Assert.Throws<ArgumentException>(() => (options with { Split = new SplitPlan(2, new DateOnly(2026, 6, 3)) }).Validate());
        Assert.Throws<FormatException>(() => SplitPlan.Parse("40"));
        Assert.Equal(new SplitPlan(40, new DateOnly(2026, 6, 2)), SplitPlan.Parse("40:2026-06-02"));
    }

    private static IEnumerable<SettlementResult> AllSettlements(ChainStore store)
    {
        for (long h = 1; h <= store.Height; h++)
        {
            foreach (SettlementResult s in store.GetBlock(h)!.Block.Body.Settlements) yield return s;
        }
    }

    private static (long Import, long Export, long Interval) Settled(ChainStore store, string house, bool first = false)
    {
        long import = 0, export = 0, interval = first ? long.MaxValue : long.MinValue;
        foreach (SettlementResult s in AllSettlements(store))
        {
            foreach (HouseSettlement h in s.Houses.Where(h => h.HouseId == house && h.ImportWh + h.ExportWh > 0))
            {
                import += h.ImportWh;
                export += h.ExportWh;
                interval = first ? Math.Min(interval, s.IntervalStart) : Math.Max(interval, s.IntervalStart);
            }
        }
        return (import, export, interval);
    }

    private static (long Import, long Export) Pending(ChainStore store, string house)
    {
        long import = 0, export = 0;
        foreach (var entry in store.State.View().WithPrefix(StateKeys.PendingPrefix).Where(p => p.Key.EndsWith("/" + house, StringComparison.Ordinal)))
        {
            PendingEnergy e = PendingEnergy.Decode(entry.Value);
            import += e.ImportWh;
            export += e.ExportWh;
        }
        return (import, export);
    }
}
