using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Settlement;
using CommunityGrid.Simulation.Tests.Pipeline;

namespace CommunityGrid.Simulation.Tests.Report;

/// <summary>
/// The report's mechanism comparison settles the chain's recorded energies with every mechanism. It claims that this
/// is what a run with that mechanism and the same seed would give; these tests hold it to that.
/// </summary>
public sealed class MechanismComparisonTests(TenHouseDay day) : IClassFixture<TenHouseDay>
{
    [Fact]
    public void Every_mechanism_and_grid_only_are_compared_with_the_chains_own_first_reproducing_the_chain()
    {
        // The default day's vote switches sdr to mmr (GovernanceScript): the chain's own row is that history, and every
        // mechanism also has a whole-period row.
        MechanismOutcome own = day.Report.Mechanisms[0];
        Assert.True(own.IsChains && own.ReproducesChain);
        Assert.Equal("sdr → mmr", own.Mechanism);
        Assert.Equal(SimulationCatalog.Mechanisms.Order(), day.Report.Mechanisms.Skip(1).Select(m => m.Mechanism).Order());
        ReportSummary s = day.Report.Summary;
        Assert.Equal((s.TotalSavings, s.FundIncome, s.InternalWh, s.GridImportWh, s.CommunityBills), (own.Savings, own.FundIncome, own.InternalWh, own.GridImportWh, own.CommunityBills));
        Assert.Equal((s.Pv, s.NonPv), (own.Pv, own.NonPv));
        MechanismOutcome gridOnly = day.Report.Mechanisms.Single(m => m.Mechanism == "grid-only");
        Assert.Equal(0, gridOnly.InternalWh);
        // Without internal trading every house's import comes from the grid.
        Assert.Equal(day.Report.Intervals.Sum(r => r.HouseImportWh), gridOnly.GridImportWh);
    }

    [Fact]
    public async Task A_run_with_mmr_and_the_same_seed_settles_exactly_as_the_sdr_runs_mmr_row()
    {
        // Without the day's mechanism vote, so that the run settles under mmr throughout, as the sdr run's mmr row assumes.
        SimulationOptions mmr = SmallRun.Options(10, mechanism: "mmr") with { GovernanceEvent = false };
        try
        {
            (_, ReportData report) = await SmallRun.RunAsync(mmr);
            MechanismOutcome predicted = day.Report.Mechanisms.Single(m => m.Mechanism == "mmr");
            ReportSummary actual = report.Summary;
            Assert.Equal((predicted.Savings, predicted.CommunityBills, predicted.FundIncome, predicted.InternalWh, predicted.GridImportWh, predicted.GridExportWh),
                (actual.TotalSavings, actual.CommunityBills, actual.FundIncome, actual.InternalWh, actual.GridImportWh, actual.GridExportWh));
            Assert.Equal((predicted.Pv, predicted.NonPv), (actual.Pv, actual.NonPv));
            // And the other way round: the mmr run's own comparison predicts the sdr run.
            MechanismOutcome sdr = report.Mechanisms.Single(m => m.Mechanism == "sdr");
            Assert.Equal(day.Report.Mechanisms.Single(m => m.Mechanism == "sdr").Savings, sdr.Savings);
        }
        finally
        {
            Directory.Delete(mmr.OutputDirectory, recursive: true);
        }
    }
}
