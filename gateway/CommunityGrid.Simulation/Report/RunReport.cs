using System.Collections.Generic;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Verification;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Report;

/// <summary>The report of a finished run, read back from its chain (OUTPUT/chain.sqlite), with the gateways' section when there were several.</summary>
public static class RunReport
{
    /// <param name="gatewayVerdicts">Several gateways: each store's verdict (<see cref="ChainCheck.VerifyGateways"/>); ignored with one.</param>
    public static ReportData Read(SimulationResult result, IReadOnlyList<ChainVerdict>? gatewayVerdicts = null)
    {
        using ChainStore store = ChainStore.Open(result.ChainPath, GenesisFile.Load(result.GenesisPath), VerifyMode.Headers);
        ReportData report = ChainReportReader.Read(store);
        if (result.Gateways == 1) return report;
        gatewayVerdicts ??= ChainCheck.VerifyGateways(result.OutputDirectory, result.Gateways);
        return report with { Gateways = GatewaySection.Read(store, gatewayVerdicts, report.Community.Houses) };
    }
}
