using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;

namespace CommunityGrid.Cli.Commands.Community;

/// <summary><c>cgrid community init</c>: writes a community's genesis file (docs/chain.md §1).</summary>
public static class CommunityCommand
{
    public static Command Create()
    {
        var community = new Command("community", "Set up a community's chain");
        community.Subcommands.Add(CreateInit());
        return community;
    }

    private static Command CreateInit()
    {
        var output = new Option<string>("--out") { Description = "Genesis file to write (never overwritten)", Required = true };
        var id = new Option<string>("--id") { Description = "Community id, which is also the chain id: 1..64 of a-z 0-9 -", Required = true };
        var name = new Option<string>("--name") { Description = "Community name, 1..128 characters", Required = true };
        var currency = new Option<string>("--currency") { Description = "Currency code, three capital letters", DefaultValueFactory = _ => "EUR" };
        var minorDigits = new Option<int>("--minor-digits") { Description = "Digits of the currency's minor unit (0..4)", DefaultValueFactory = _ => 2 };
        var interval = new Option<int>("--interval") { Description = "Settlement interval in seconds; divides a day", DefaultValueFactory = _ => GenesisDocument.DefaultIntervalSeconds };
        var grace = new Option<int>("--grace") { Description = "Seconds after an interval's end before it closes", DefaultValueFactory = _ => GenesisDocument.DefaultGraceSeconds };
        var tolerance = new Option<int>("--future-tolerance") { Description = "Meter clock skew allowed, seconds", DefaultValueFactory = _ => GenesisDocument.DefaultFutureToleranceSeconds };
        var retention = new Option<int>("--retention") { Description = "Readings older than this many seconds are stale", DefaultValueFactory = _ => GenesisDocument.DefaultRetentionSeconds };
        // Defaults are the simulator's (Dutch/German household tariffs, a tenth of export proceeds to the fund), so a
        // community that starts from them gets what `cgrid simulate` showed it; a 100 % fund share would leave
        // exporting houses nothing.
        var simulated = new Simulation.Community.CommunityOptions();
        var retail = new Option<long>("--retail") { Description = "Grid retail (import) price in minor units per kWh (30 = 0.30 EUR/kWh)", DefaultValueFactory = _ => simulated.RetailPrice };
        var feedIn = new Option<long>("--feed-in") { Description = "Grid feed-in (export) price in minor units per kWh (8 = 0.08 EUR/kWh)", DefaultValueFactory = _ => simulated.FeedInPrice };
        var mechanism = new Option<string>("--mechanism") { Description = "Pricing mechanism: grid-only, sdr, mmr, bs or auction", DefaultValueFactory = _ => "sdr" };
        var fundShare = new Option<int>("--fund-share") { Description = "Permille (‰) of the community's export proceeds that go to the community fund (100 = 10 %)", DefaultValueFactory = _ => simulated.FundSharePermille };
        var members = new Option<string[]>("--member") { Description = "An initial member as HOUSE=PUBKEYHEX (repeat for each house)", Arity = ArgumentArity.ZeroOrMore };
        var installers = new Option<string[]>("--installer") { Description = "Installer public key (hex) allowed to enrol meters (repeat)", Required = true, Arity = ArgumentArity.OneOrMore };
        var treasurers = new Option<string[]>("--treasurer") { Description = "Treasurer public key (hex) (repeat)", Required = true, Arity = ArgumentArity.OneOrMore };
        var validators = new Option<string[]>("--validator") { Description = "A gateway as PUBKEYHEX@host:port (repeat)", Required = true, Arity = ArgumentArity.OneOrMore };
        var genesisTime = new Option<long?>("--genesis-time-ms") { Description = "Genesis time, Unix ms (default: now); block 1 must come later" };

        var command = new Command("init", "Write the genesis file of a new community")
        {
            output, id, name, currency, minorDigits, interval, grace, tolerance, retention, retail, feedIn, mechanism, fundShare,
            members, installers, treasurers, validators, genesisTime, Input.JsonOutput.Option(),
        };
        command.SetAction(parseResult =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var problems = new List<string>();
            var document = new GenesisDocument
            {
                ChainId = parseResult.GetValue(id)!,
                Name = parseResult.GetValue(name)!,
                Currency = parseResult.GetValue(currency)!,
                MinorUnitDigits = parseResult.GetValue(minorDigits),
                IntervalSeconds = parseResult.GetValue(interval),
                GraceSeconds = parseResult.GetValue(grace),
                FutureToleranceSeconds = parseResult.GetValue(tolerance),
                RetentionSeconds = parseResult.GetValue(retention),
                RetailPrice = parseResult.GetValue(retail),
                FeedInPrice = parseResult.GetValue(feedIn),
                PricingMechanism = parseResult.GetValue(mechanism)!,
                FundSharePermille = parseResult.GetValue(fundShare),
                Members = ParseMembers(parseResult.GetValue(members) ?? [], problems),
                InstallerKeys = Lower(parseResult.GetValue(installers) ?? []),
                TreasurerKeys = Lower(parseResult.GetValue(treasurers) ?? []),
                Validators = ParseValidators(parseResult.GetValue(validators) ?? [], problems),
                GenesisTimeMs = parseResult.GetValue(genesisTime) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            };
            problems.AddRange(GenesisRules.FindProblems(document));
            if (SettlementCatalog.Default.Find(document.PricingMechanism) is null)
            {
                problems.Add($"--mechanism '{document.PricingMechanism}' is not a pricing mechanism this gateway can settle with");
            }
            if (problems.Count > 0)
            {
                foreach (string problem in problems) error.WriteLine("error: " + problem);
                error.WriteLine("Nothing was written; fix the options above and run the command again.");
                return ExitCodes.BadInput;
            }
            string path = parseResult.GetValue(output)!;
            try
            {
                WriteNew(path, GenesisFile.ToJson(document) + "\n");
            }
            catch (IOException e)
            {
                error.WriteLine(File.Exists(path)
                    ? $"error: {path} already exists; a genesis file is never overwritten (choose another --out, or move the old file away)"
                    : $"error: could not write {path}: {e.Message}");
                return ExitCodes.BadInput;
            }
            string genesisHash = Hashes.Hex(GenesisCanonical.Hash(document));
            if (Input.JsonOutput.Requested(parseResult))
            {
                Input.JsonOutput.Write(parseResult.InvocationConfiguration.Output, json =>
                {
                    json.WriteStartObject();
                    json.WriteString("file", path);
                    json.WriteString("genesisHash", genesisHash);
                    json.WritePropertyName("genesis");
                    json.WriteRawValue(GenesisFile.ToJson(document));
                    json.WriteEndObject();
                });
            }
            else parseResult.InvocationConfiguration.Output.WriteLine(genesisHash);
            error.WriteLine($"wrote {path} for community '{document.ChainId}' (the line above is its genesis hash; every gateway must use this same file):");
            foreach (string line in GenesisSummary.Lines(document)) error.WriteLine("  " + line);
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<GenesisMember> ParseMembers(string[] values, List<string> problems)
    {
        var members = new List<GenesisMember>();
        foreach (string value in values)
        {
            int separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || separator == value.Length - 1)
            {
                problems.Add($"--member '{value}' must be HOUSE=PUBKEYHEX, e.g. house-07=3d40…");
                continue;
            }
            members.Add(new GenesisMember(value[..separator], value[(separator + 1)..].ToLowerInvariant()));
        }
        return members;
    }

    private static List<GenesisValidator> ParseValidators(string[] values, List<string> problems)
    {
        var validators = new List<GenesisValidator>();
        foreach (string value in values)
        {
            int separator = value.IndexOf('@', StringComparison.Ordinal);
            if (separator <= 0 || separator == value.Length - 1)
            {
                problems.Add($"--validator '{value}' must be PUBKEYHEX@host:port, e.g. 3d40…@10.0.0.2:7001");
                continue;
            }
            string address = value[(separator + 1)..];
            int colon = address.LastIndexOf(':');
            if (colon <= 0 || !ushort.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort port) || port == 0)
            {
                problems.Add($"--validator '{value}': the address after @ must be host:port with a port 1..65535");
                continue;
            }
            validators.Add(new GenesisValidator(value[..separator].ToLowerInvariant(), address));
        }
        return validators;
    }

    private static List<string> Lower(string[] keys) => [.. Array.ConvertAll(keys, k => k.ToLowerInvariant())];

    /// <summary>Creates the file exclusively, so an existing genesis (the identity of a running chain) can never be replaced.</summary>
    private static void WriteNew(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
