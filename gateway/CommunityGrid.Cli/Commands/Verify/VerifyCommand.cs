using System;
using System.CommandLine;
using System.Collections.Generic;
using System.IO;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Verification;

namespace CommunityGrid.Cli.Commands.Verify;

/// <summary><c>cgrid verify --data DIR</c>: replay a stored chain from genesis and say whether it holds.</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Data directory holding chain.sqlite: a gateway's --data (also while it runs; nothing is written) or a `cgrid simulate` output.",
            Required = true,
        };
        var genesis = new Option<FileInfo?>("--genesis")
        {
            Description = "The community's genesis file (default: genesis.json inside --data, as `cgrid simulate` writes it).",
        };
        var parentData = new Option<DirectoryInfo?>("--parent-data")
        {
            Description = "For a community started by a split: the old community's data directory; checks the genesis's parent link, members and meters against its exit records.",
        };
        var parentGenesis = new Option<FileInfo?>("--parent-genesis") { Description = "The old community's genesis file (default: genesis.json inside --parent-data)" };
        var command = new Command("verify", "Replay the chain from genesis: every signature, every block, every interval's clearing. Exit 0 valid, 1 invalid, 2 unreadable.");
        command.Options.Add(data);
        command.Options.Add(genesis);
        command.Options.Add(parentData);
        command.Options.Add(parentGenesis);
        command.Options.Add(Input.JsonOutput.Option());
        command.SetAction(parseResult => Run(parseResult.GetValue(data)!, parseResult.GetValue(genesis), parseResult.GetValue(parentData),
            parseResult.GetValue(parentGenesis), Input.JsonOutput.Requested(parseResult)));
        return command;
    }

    public static int Run(DirectoryInfo data, FileInfo? genesis = null, DirectoryInfo? parentData = null, FileInfo? parentGenesis = null, bool json = false)
    {
        if (json && parentData is not null)
        {
            Console.Error.WriteLine("cgrid verify: --json does not cover the parent-link check yet; run it without --json to check --parent-data");
            return ExitCodes.BadInput;
        }
        ChainVerdict verdict = ChainCheck.Verify(data.FullName, genesis?.FullName);
        if (!verdict.Usable)
        {
            Console.Error.WriteLine($"cgrid verify: {verdict.Message}");
            return ExitCodes.BadInput;
        }
        if (json)
        {
            // A chain that does not verify is the check's answer, not an error: it is the document, with exit 1.
            Input.JsonOutput.Write(Console.Out, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("valid", verdict.Valid);
                w.WriteString("message", verdict.Message);
                if (verdict.Valid)
                {
                    w.WriteNumber("height", verdict.Height);
                    w.WriteString("tipHash", verdict.TipHash);
                    w.WriteString("stateRoot", verdict.StateRoot);
                }
                w.WriteNumber("seconds", Math.Round(verdict.Elapsed.TotalSeconds, 3));
                w.WriteEndObject();
            });
            return verdict.Valid ? ExitCodes.Success : ExitCodes.CheckFailed;
        }
        if (!verdict.Valid)
        {
            Console.WriteLine($"INVALID: {verdict.Message}");
            return ExitCodes.CheckFailed;
        }
        if (parentData is not null)
        {
            int parent = CheckParent(genesis?.FullName ?? Path.Combine(data.FullName, CommunityGrid.Simulation.Pipeline.SimulationOptions.GenesisFileName), parentData, parentGenesis);
            if (parent != ExitCodes.Success) return parent;
        }
        Console.WriteLine($"VALID: {verdict.Message}");
        Console.WriteLine($"height {verdict.Height}, tip {verdict.TipHash}, state root {verdict.StateRoot}, {verdict.Elapsed.TotalSeconds:0.00} s");
        return ExitCodes.Success;
    }

    private static int CheckParent(string genesisPath, DirectoryInfo parentData, FileInfo? parentGenesis)
    {
        // The chain verified with this genesis, so it loads.
        GenesisDocument genesis = GenesisFile.Load(genesisPath);
        if (genesis.Parent is null)
        {
            Console.Error.WriteLine($"cgrid verify: {genesisPath} has no parent link, so there is nothing to check against --parent-data; leave --parent-data out for a community started with `community init`");
            return ExitCodes.BadInput;
        }
        List<string> problems;
        try
        {
            problems = ParentLink.Check(genesis, parentData.FullName, parentGenesis?.FullName);
        }
        catch (ParentDataException e)
        {
            Console.Error.WriteLine($"cgrid verify: {e.Message}");
            return ExitCodes.BadInput;
        }
        if (problems.Count > 0)
        {
            Console.WriteLine($"INVALID: the genesis does not match the exit records of '{genesis.Parent.ChainId}': {string.Join("; ", problems)}");
            return ExitCodes.CheckFailed;
        }
        Console.WriteLine($"parent link checks out: '{genesis.Parent.ChainId}' block {genesis.Parent.Height} {genesis.Parent.HeaderHash} made the exits of {genesis.Members.Count} house(s) final; members and meters match their exit records");
        return ExitCodes.Success;
    }
}
