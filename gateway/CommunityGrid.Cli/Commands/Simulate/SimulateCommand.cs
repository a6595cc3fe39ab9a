using System;
using System.CommandLine;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Verification;
using CommunityGrid.Storage;
using Spectre.Console;

namespace CommunityGrid.Cli.Commands.Simulate;

/// <summary>
/// <c>cgrid simulate</c>: the whole system in one command. A seeded community of houses with PV and household load,
/// virtual meters publishing signed readings over the embedded MQTT broker to an in-process gateway node on a virtual
/// clock, blocks and clearing, then verification from genesis and a report read back from the chain.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var arguments = new SimulateArguments();
        var command = new Command("simulate", "Simulate a community for some days on embedded defaults; writes the chain, report.html, CSV and JSON to --out, then verifies the chain.");
        foreach (Option option in arguments.All) command.Options.Add(option);
        command.SetAction((parseResult, cancel) => RunAsync(arguments, parseResult, cancel));
        return command;
    }

    private static async Task<int> RunAsync(SimulateArguments arguments, ParseResult parseResult, CancellationToken cancel)
    {
        ThreadPoolSpinning.TurnOff();
        SimulationOptions options;
        bool mqtt;
        try
        {
            options = arguments.Parse(parseResult, out mqtt);
            if (File.Exists(Path.Combine(options.OutputDirectory, SimulationOptions.ChainFileName)))
            {
                throw new FormatException($"--out: {options.OutputDirectory} already holds a chain; give a new or empty directory");
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"cgrid simulate: {e.Message}");
            return ExitCodes.BadInput;
        }

        // Several gateways go through the cluster (CommunitySimulation's choice when no transport is given).
        var simulation = new CommunitySimulation(options, mqtt && options.Gateways == 1 ? context => new MqttTransport(context) : null);
        SimulationResult result = await SimulateConsole.RunWithProgressAsync(simulation, options, cancel);

        SimulateConsole.Stage("verifying the chain from genesis (cgrid verify)");
        ChainVerdict verdict = ChainCheck.Verify(options.OutputDirectory);
        IReadOnlyList<ChainVerdict>? gatewayVerdicts = null;
        if (result.Gateways > 1)
        {
            SimulateConsole.Stage($"verifying each gateway's store from genesis (cgrid verify on {SimulationOptions.GatewaysDirectoryName}/g1..g{result.Gateways})");
            gatewayVerdicts = ChainCheck.VerifyGateways(options.OutputDirectory, result.Gateways);
        }
        SimulateConsole.Stage("writing the report");
        ReportData report = RunReport.Read(result, gatewayVerdicts);
        ReportFiles.Write(report, options.OutputDirectory);
        SimulateConsole.PrintSummary(result, report, verdict);
        // A proof the meters refused means a gateway published something the validators did not commit: a failed check.
        bool allValid = verdict.Valid && (report.Gateways is not { } g || g.Identical && g.Gateways.All(row => row.Valid)) && result.Proofs.Refused == 0;
        return allValid && ReportBreakaway(result) ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    /// <summary>With --split: verifies the new community's chain and its parent link, and writes its own report beside it.</summary>
    private static bool ReportBreakaway(SimulationResult result)
    {
        if (result.Split is not { } split) return true;
        SimulateConsole.Stage("verifying the breakaway community's chain and its link to the old one (cgrid verify --parent-data)");
        ChainVerdict verdict = ChainCheck.Verify(split.Directory);
        Chain.Genesis.GenesisDocument genesis = Chain.Genesis.GenesisFile.Load(split.GenesisPath);
        List<string> problems = ParentLink.Check(genesis, result.OutputDirectory, null);
        ReportData report;
        using (ChainStore store = ChainStore.Open(split.ChainPath, genesis, VerifyMode.Headers))
        {
            report = ChainReportReader.Read(store);
        }
        ReportFiles.Write(report, split.Directory);
        SimulateConsole.PrintBreakaway(split, report, verdict, problems);
        return verdict.Valid && problems.Count == 0;
    }
}
