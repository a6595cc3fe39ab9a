using System;
using System.CommandLine;
using System.IO;
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
        var command = new Command("verify", "Replay the chain from genesis: every signature, every block, every interval's clearing. Exit 0 valid, 1 invalid, 2 unreadable.");
        command.Options.Add(data);
        command.Options.Add(genesis);
        command.Options.Add(Input.JsonOutput.Option());
        command.SetAction(parseResult => Run(parseResult.GetValue(data)!, parseResult.GetValue(genesis), Input.JsonOutput.Requested(parseResult)));
        return command;
    }

    public static int Run(DirectoryInfo data, FileInfo? genesis = null, bool json = false)
    {
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
        Console.WriteLine($"VALID: {verdict.Message}");
        Console.WriteLine($"height {verdict.Height}, tip {verdict.TipHash}, state root {verdict.StateRoot}, {verdict.Elapsed.TotalSeconds:0.00} s");
        return ExitCodes.Success;
    }
}
