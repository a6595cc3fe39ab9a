using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using CommunityGrid.Api.Json;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Governance;

/// <summary>Runs a read-only governance query against a gateway, turning its failures into messages and exit codes.</summary>
internal static class GovernanceQuery
{
    public static async Task<int> RunAsync(ParseResult parseResult, string gatewayAddress, Func<GatewayClient, TextWriter, Task> query)
    {
        TextWriter stderr = parseResult.InvocationConfiguration.Error;
        try
        {
            using GatewayClient client = GatewayClient.For(gatewayAddress);
            await query(client, parseResult.InvocationConfiguration.Output);
            return ExitCodes.Success;
        }
        catch (GatewayInputException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is GatewayUnreachableException or GatewayRejectedException)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitCodes.CheckFailed;
        }
    }
}

/// <summary>How a proposal reads on a terminal.</summary>
internal static class GovernanceText
{
    public static void Write(TextWriter o, ProposalResponse r)
    {
        ProposalSummaryJson p = r.Proposal;
        o.WriteLine($"proposal   {p.Id}");
        o.WriteLine($"title      {p.Title}");
        o.WriteLine($"by         {p.Proposer}, {Time(p.CreatedMs)}");
        o.WriteLine($"kind       {p.Kind}");
        foreach (string line in EffectLines(r.Effect)) o.WriteLine($"           {line}");
        o.WriteLine($"status     {p.Status}{(p.EffectiveIntervalStart is { } e ? $", effective from the interval starting {Time(e * 1000)}" : "")}");
        o.WriteLine($"closes     {Time(p.ClosesMs)}");
        TallyJson t = r.Tally;
        o.WriteLine($"{(r.Final ? "tally" : "so far"),-10} yes {t.Yes}, no {t.No}, abstain {t.Abstain} of {t.Electorate} houses (quorum {r.QuorumPermille}‰, yes must exceed {r.Threshold}‰ of yes + no)");
        if (r.Paid is { } paid) o.WriteLine($"paid out   {paid} of {r.Effect.Amount}");
        foreach (VoteJson v in r.Votes) o.WriteLine($"vote       {v.HouseId}: {v.Choice}");
        if (r.Text.Length > 0)
        {
            o.WriteLine();
            o.WriteLine(r.Text);
        }
    }

    private static string[] EffectLines(EffectJson e)
    {
        if (e.Changes is { } changes) return changes.ConvertAll(c => $"{c.Name} = {c.Value}").ToArray();
        if (e.Amount is { } amount) return [$"pay {amount} to {e.PayeeKind} '{e.Payee}' for {e.Purpose}"];
        if (e.Role is not null) return [$"{e.Role} key {e.PublicKey}"];
        if (e.HouseId is not null) return [$"house {e.HouseId}{(e.PublicKey is null ? "" : $" with member key {e.PublicKey}")}"];
        if (e.PublicKey is not null) return [$"gateway {e.PublicKey}{(e.Address is null ? "" : $" at {e.Address}")}"];
        return [];
    }

    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}

internal static class ReadOnlyListExtensions
{
    public static System.Collections.Generic.List<TOut> ConvertAll<TIn, TOut>(this System.Collections.Generic.IReadOnlyList<TIn> items, Func<TIn, TOut> convert)
    {
        var result = new System.Collections.Generic.List<TOut>(items.Count);
        foreach (TIn item in items) result.Add(convert(item));
        return result;
    }
}
