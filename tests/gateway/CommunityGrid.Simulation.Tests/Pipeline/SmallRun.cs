using System;
using System.IO;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Tests.Pipeline;

/// <summary>Runs a small simulation on the direct path into a fresh temporary directory and opens its chain.</summary>
internal static class SmallRun
{
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "cgrid-sim-tests", Guid.NewGuid().ToString("N"));

    public static SimulationOptions Options(int houses, long seed = 42, FailurePlan? failures = null, string mechanism = "sdr") => new()
    {
        Community = new CommunityOptions { Houses = houses, Seed = seed, Mechanism = mechanism },
        Start = new DateOnly(2026, 6, 1),
        Days = 1,
        OutputDirectory = NewDirectory(),
        Failures = failures ?? FailurePlan.None,
    };

    public static async Task<(SimulationResult Result, ReportData Report)> RunAsync(SimulationOptions options)
    {
        SimulationResult result = await new CommunitySimulation(options).RunAsync();
        using ChainStore store = Open(result);
        ReportData report = ChainReportReader.Read(store);
        ReportFiles.Write(report, options.OutputDirectory);
        return (result, report);
    }

    public static ChainStore Open(SimulationResult result, VerifyMode mode = VerifyMode.Headers) =>
        ChainStore.Open(result.ChainPath, GenesisFile.Load(result.GenesisPath), mode);
}
