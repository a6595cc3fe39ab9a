using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Verification;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>One 10-house day, shared by the tests that only read it.</summary>
public sealed class TenHouseDay : IAsyncLifetime
{
    public SimulationOptions Options { get; } = SmallRun.Options(10);
    public SimulationResult Result { get; private set; } = null!;
    public ReportData Report { get; private set; } = null!;

    public async Task InitializeAsync() => (Result, Report) = await SmallRun.RunAsync(Options);

    public Task DisposeAsync()
    {
        Directory.Delete(Options.OutputDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

public class SimulationRunTests(TenHouseDay day) : IClassFixture<TenHouseDay>
{
    [Fact]
    public void ReportFilesExist()
    {
        foreach (string name in new[] { ReportFiles.Html, ReportFiles.Json, ReportFiles.IntervalsCsv, ReportFiles.HousesCsv, SimulationOptions.GenesisFileName, SimulationOptions.ChainFileName })
        {
            string path = Path.Combine(day.Options.OutputDirectory, name);
            Assert.True(File.Exists(path) && new FileInfo(path).Length > 0, $"{name} is missing or empty");
        }
        string html = File.ReadAllText(Path.Combine(day.Options.OutputDirectory, ReportFiles.Html));
        Assert.Equal(10, html.Split("<svg ").Length - 1);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void ReportTotalsEqualTheChainsTotals()
    {
        ReportData fromFile = ReportFiles.FromJson(File.ReadAllText(Path.Combine(day.Options.OutputDirectory, ReportFiles.Json)));
        using ChainStore store = SmallRun.Open(day.Result);
        long readings = 0, gridImport = 0, gridExport = 0, fundIncome = 0, housesPaid = 0, housesReceived = 0, settled = 0;
        for (long h = 1; h <= store.Height; h++)
        {
            Block block = store.GetBlock(h)!.Block;
            readings += block.Body.Transactions.Count(tx => Transaction.Decode(tx).Type == TxType.Reading);
            foreach (SettlementResult s in block.Body.Settlements)
            {
                settled++;
                gridImport += s.GridImportWh;
                gridExport += s.GridExportWh;
                fundIncome += s.FundIncome;
                housesPaid += s.Houses.Sum(x => x.Cost);
                housesReceived += s.Houses.Sum(x => x.Revenue);
            }
        }
        StateView state = store.State.View();
        long balances = fromFile.Houses.Sum(x => state.Balance(x.HouseId));

        ReportSummary summary = fromFile.Summary;
        Assert.Equal(store.Height, summary.Blocks);
        Assert.Equal(readings, summary.Readings);
        Assert.Equal(day.Result.ReadingsAccepted, readings);
        Assert.Equal(gridImport, summary.GridImportWh);
        Assert.Equal(gridExport, summary.GridExportWh);
        Assert.Equal(fundIncome, summary.FundIncome);
        Assert.Equal(state.Fund, summary.FundBalance);
        Assert.Equal(settled, summary.SettledIntervals);
        Assert.Equal(housesPaid - housesReceived, summary.CommunityBills);
        Assert.Equal(-balances, summary.CommunityBills);
        Assert.Equal(fromFile.Houses.Sum(x => x.Balance), balances);

        string[] intervalLines = File.ReadAllLines(Path.Combine(day.Options.OutputDirectory, ReportFiles.IntervalsCsv));
        Assert.Equal(settled + 1, intervalLines.Length);
        Assert.Equal(gridImport, intervalLines.Skip(1).Sum(l => long.Parse(l.Split(',')[5])));
        string[] houseLines = File.ReadAllLines(Path.Combine(day.Options.OutputDirectory, ReportFiles.HousesCsv));
        Assert.Equal(-balances, houseLines.Skip(1).Sum(l => long.Parse(l.Split(',')[6])));
    }

    [Fact]
    public void EveryReadingOfEveryMeterIsOnTheChainOnce()
    {
        using ChainStore store = SmallRun.Open(day.Result);
        int meters = 0;
        foreach (var entry in store.State.View().WithPrefix("meter/"))
        {
            meters++;
            var readings = store.GetReadings(entry.Key["meter/".Length..], 0, 1000);
            Assert.Equal(96, readings.Count);
            Assert.Equal(Enumerable.Range(1, 96).Select(i => (long)i), readings.Select(r => r.Sequence));
        }
        Assert.Equal(day.Report.Community.Houses + day.Report.Community.PvHouses, meters);
        Assert.Equal(96, day.Report.Summary.SettledIntervals);
    }

    [Fact]
    public void TheChainVerifiesFromGenesis()
    {
        ChainVerdict verdict = ChainCheck.Verify(day.Options.OutputDirectory);
        Assert.True(verdict.Valid, verdict.Message);
        Assert.Equal(day.Report.Summary.Blocks, verdict.Height);
    }

    [Fact]
    public void TheSummaryIsPlausibleForAJuneDay()
    {
        ReportSummary s = day.Report.Summary;
        Assert.InRange(s.SelfSufficiencyPercent, 20, 100);
        Assert.InRange(s.SelfConsumptionPercent, 5, 100);
        Assert.True(s.InternalWh > 0, "houses traded with each other");
        Assert.True(s.TotalSavings > 0, "the community saves against the grid alone");
        Assert.True(s.FundIncome > 0);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameChain()
    {
        SimulationOptions again = day.Options with { OutputDirectory = SmallRun.NewDirectory() };
        try
        {
            (SimulationResult result, ReportData report) = await SmallRun.RunAsync(again);
            Assert.Equal(day.Report.Community.TipHash, report.Community.TipHash);
            Assert.Equal(day.Report.Community.StateRoot, report.Community.StateRoot);
            Assert.Equal(day.Result.Blocks, result.Blocks);
        }
        finally
        {
            Directory.Delete(again.OutputDirectory, recursive: true);
        }
    }
}
