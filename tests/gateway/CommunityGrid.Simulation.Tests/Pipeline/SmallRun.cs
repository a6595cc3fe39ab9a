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

    /// <param name="mqtt">One gateway over MQTT instead of the direct path (several gateways always use MQTT and the peer network).</param>
    public static async Task<(SimulationResult Result, ReportData Report)> RunAsync(SimulationOptions options, bool mqtt = false)
    {
        SimulationResult result = await new CommunitySimulation(options, mqtt ? c => new MqttTransport(c) : null).RunAsync();
        ReportData report = RunReport.Read(result);
        ReportFiles.Write(report, options.OutputDirectory);
        return (result, report);
    }

    public static ChainStore Open(SimulationResult result, VerifyMode mode = VerifyMode.Headers) =>
        ChainStore.Open(result.ChainPath, GenesisFile.Load(result.GenesisPath), mode);
}
