using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;
using CommunityGrid.Cli.Commands.Governance;

namespace CommunityGrid.Cli.Commands.Breakaway;

/// <summary>
/// <c>cgrid exit leave | settle | show</c>: a house signs its exit with its member key, the treasurer records the
/// payments that settle the exit record, anyone reads the record (docs/breakaway.md).
/// </summary>
public static class ExitCommand
{
    public static Command Create()
    {
        var exit = new Command("exit", "Leave the community for a new one, settle a leaver's exit record, show an exit record");
        exit.Subcommands.Add(CreateLeave());
        exit.Subcommands.Add(CreateSettle());
        exit.Subcommands.Add(CreateShow());
        return exit;
    }

    private static Command CreateLeave()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        Option<string> memberKey = ProposalCommand.MemberKeyOption();
        var to = new Option<string>("--to") { Description = "The new community's id (its chain id): 1..64 of a-z 0-9 -", Required = true };
        var from = new Option<string>("--from")
        {
            Description = "Start of the exit interval, the first the house no longer belongs to this community: Unix seconds or UTC time, e.g. 2026-06-02T00:00:00Z",
            Required = true,
        };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();
        var command = new Command("leave", "Sign the house's exit with its member key and submit it; no vote is needed; prints the tx id")
        {
            gateway, memberKey, to, from, nonce, wait,
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            string newChain = parseResult.GetValue(to)!;
            long? start = ParseTime(parseResult.GetValue(from)!);
            string? problem = !Identifiers.IsChainId(newChain) ? $"--to '{newChain}' must be {Identifiers.ChainIdRule}"
                : start is null ? $"--from '{parseResult.GetValue(from)}' must be Unix seconds or a UTC time such as 2026-06-02T00:00:00Z"
                : null;
            if (problem is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(memberKey)!, "member",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (chainId, n) => new ExitPayload(chainId, n, newChain, start!.Value), cancel);
        });
        return command;
    }

    private static Command CreateSettle()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var treasurerKey = new Option<string>("--treasurer-key") { Description = "The treasurer's key file (cgrid keys new)", Required = true };
        var house = new Option<string>("--house") { Description = "The house that left", Required = true };
        var paid = new Option<long?>("--paid-to-house") { Description = "The community paid the house this amount (minor units)" };
        var received = new Option<long?>("--received-from-house") { Description = "The house paid the community this amount (minor units)" };
        var reference = new Option<string>("--reference") { Description = "Bank or receipt reference, at most 140 UTF-8 bytes", Required = true };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();
        var command = new Command("settle", "Record money that settles a leaver's exit record (treasurer key); prints the tx id")
        {
            gateway, treasurerKey, house, paid, received, reference, nonce, wait,
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            string houseId = parseResult.GetValue(house)!;
            string text = parseResult.GetValue(reference)!;
            (long? toHouse, long? fromHouse) = (parseResult.GetValue(paid), parseResult.GetValue(received));
            long amount = toHouse ?? fromHouse ?? 0;
            string? problem =
                (toHouse is null) == (fromHouse is null) ? "give exactly one of --paid-to-house AMOUNT or --received-from-house AMOUNT" :
                amount is < 1 or > Payments.PaymentCommand.MaxAmount ? $"the amount must be 1..10^15 minor units, got {amount}" :
                !Identifiers.IsEntityId(houseId) ? $"--house '{houseId}' must be {Identifiers.EntityIdRule}" :
                Encoding.UTF8.GetByteCount(text) > ExitSettlementPayload.MaxReferenceBytes ? $"--reference is longer than {ExitSettlementPayload.MaxReferenceBytes} UTF-8 bytes" :
                null;
            if (problem is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            ExitSettlementKind kind = toHouse is not null ? ExitSettlementKind.PaidToHouse : ExitSettlementKind.ReceivedFromHouse;
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(treasurerKey)!, "treasurer",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (chainId, n) => new ExitSettlementPayload(chainId, n, houseId, kind, amount, text), cancel);
        });
        return command;
    }

    private static Command CreateShow()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var house = new Option<string>("--house") { Description = "The house whose exit record to show", Required = true };
        var command = new Command("show", "Show a house's exit record: what is owed, settled and still open, its meters") { gateway, house };
        command.SetAction(async (parseResult, cancel) =>
        {
            string houseId = parseResult.GetValue(house)!;
            if (!Identifiers.IsEntityId(houseId))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: --house '{houseId}' must be {Identifiers.EntityIdRule}");
                return ExitCodes.BadInput;
            }
            return await GovernanceQuery.RunAsync(parseResult, parseResult.GetValue(gateway)!, async (client, o) =>
                Write(o, await client.GetAsync($"/houses/{houseId}/exit", ApiJsonContext.Default.ExitResponse, cancel)));
        });
        return command;
    }

    private static void Write(TextWriter o, ExitResponse r)
    {
        o.WriteLine($"house      {r.HouseId} leaves for '{r.NewChainId}' from the interval starting {Time(r.ExitIntervalStart)}");
        o.WriteLine($"status     {r.Status}");
        o.WriteLine($"balance    {r.FinalBalance}, fund share {r.FundShare}: owed {r.Owed} {r.Currency} minor units (positive: the community owes the house)");
        o.WriteLine($"settled    {r.Settled}, open {r.Open}");
        foreach (ExitMeterJson m in r.Meters)
        {
            o.WriteLine($"meter      {m.MeterId} ({m.Role}) {m.PublicKey}: registers import {m.ImportWh} Wh, export {m.ExportWh} Wh, PV {m.PvWh} Wh, last sequence {m.LastSequence}");
        }
        o.WriteLine($"record     {r.RecordHash} (height {r.Height}, state root {r.StateRoot})");
    }

    private static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Unix seconds, or a time with a zone (or taken as UTC).</summary>
    public static long? ParseTime(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)) return seconds;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time) && time.ToUnixTimeSeconds() >= 0
            ? time.ToUnixTimeSeconds()
            : null;
    }
}
