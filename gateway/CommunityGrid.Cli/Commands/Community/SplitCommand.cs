using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Verification;

namespace CommunityGrid.Cli.Commands.Community;

/// <summary>
/// <c>cgrid community split</c>: writes the genesis of the community the leaving houses start, from the old chain's
/// final exit records (docs/breakaway.md §4): members, meters at their last registers, parameters copied, the parent link.
/// </summary>
public static class SplitCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Genesis file to write (never overwritten)", Required = true };
        var parentData = new Option<DirectoryInfo>("--parent-data") { Description = "The old community's data directory (a gateway's --data, read only)", Required = true };
        var parentGenesis = new Option<FileInfo?>("--parent-genesis") { Description = "The old community's genesis file (default: genesis.json inside --parent-data)" };
        var id = new Option<string>("--id") { Description = "The new community's id, as the leaving houses named it in their exits", Required = true };
        var name = new Option<string>("--name") { Description = "The new community's name, 1..128 characters", Required = true };
        var installers = new Option<string[]>("--installer") { Description = "Installer public key (hex) of the new community (repeat)", Required = true, Arity = ArgumentArity.OneOrMore };
        var treasurers = new Option<string[]>("--treasurer") { Description = "Treasurer public key (hex) of the new community (repeat)", Required = true, Arity = ArgumentArity.OneOrMore };
        var validators = new Option<string[]>("--validator") { Description = "A gateway of the new community as PUBKEYHEX@host:port (repeat)", Required = true, Arity = ArgumentArity.OneOrMore };
        var command = new Command("split", "Write the genesis of the community the leaving houses start, from the old chain's exit records")
        {
            output, parentData, parentGenesis, id, name, installers, treasurers, validators,
        };
        command.SetAction(parseResult =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var problems = new List<string>();
            List<GenesisValidator> gateways = CommunityCommand.ParseValidators(parseResult.GetValue(validators) ?? [], problems);
            string newId = parseResult.GetValue(id)!;
            if (!Identifiers.IsChainId(newId)) problems.Add($"--id '{newId}' must be {Identifiers.ChainIdRule}");
            GenesisDocument? document = null;
            if (problems.Count == 0)
            {
                try
                {
                    document = ParentLink.BuildSplit(parseResult.GetValue(parentData)!.FullName, parseResult.GetValue(parentGenesis)?.FullName, newId,
                        parseResult.GetValue(name)!, CommunityCommand.Lower(parseResult.GetValue(installers) ?? []),
                        CommunityCommand.Lower(parseResult.GetValue(treasurers) ?? []), gateways);
                    problems.AddRange(GenesisRules.FindProblems(document));
                }
                catch (ParentDataException e)
                {
                    problems.Add(e.Message);
                }
            }
            if (problems.Count > 0)
            {
                foreach (string problem in problems) error.WriteLine("error: " + problem);
                error.WriteLine("Nothing was written; fix the above and run the command again.");
                return ExitCodes.BadInput;
            }
            string path = parseResult.GetValue(output)!;
            try
            {
                CommunityCommand.WriteNew(path, GenesisFile.ToJson(document!) + "\n");
            }
            catch (IOException e)
            {
                error.WriteLine(File.Exists(path)
                    ? $"error: {path} already exists; a genesis file is never overwritten (choose another --out, or move the old file away)"
                    : $"error: could not write {path}: {e.Message}");
                return ExitCodes.BadInput;
            }
            parseResult.InvocationConfiguration.Output.WriteLine(Hashes.Hex(GenesisCanonical.Hash(document!)));
            GenesisParent link = document!.Parent!;
            error.WriteLine($"wrote {path} for community '{document.ChainId}' (the line above is its genesis hash): {document.Members.Count} house(s), " +
                $"{document.Meters!.Count} meter(s) at their last registers, first interval {link.ExitIntervalStart}; parent '{link.ChainId}' block {link.Height} {link.HeaderHash}");
            foreach (string line in GenesisSummary.Lines(document)) error.WriteLine("  " + line);
            return ExitCodes.Success;
        });
        return command;
    }
}
