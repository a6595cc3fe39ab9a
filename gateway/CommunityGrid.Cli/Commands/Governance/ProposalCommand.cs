using System;
using System.CommandLine;
using System.IO;
using System.Text;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Governance;

/// <summary><c>cgrid proposal new | list | show</c> (docs/governance.md).</summary>
public static class ProposalCommand
{
    public static Command Create()
    {
        var proposal = new Command("proposal", "Proposals to the community: make one, list them, show one with its votes");
        proposal.Subcommands.Add(CreateNew());
        proposal.Subcommands.Add(CreateList());
        proposal.Subcommands.Add(CreateShow());
        return proposal;
    }

    public static Option<string> MemberKeyOption() =>
        new("--member-key") { Description = "The house's member key file (cgrid keys new; its public key is in the genesis file or was admitted)", Required = true };

    private static Command CreateNew()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        Option<string> memberKey = MemberKeyOption();
        var title = new Option<string>("--title") { Description = $"Short title, 1..{ProposalPayload.MaxTitleBytes} UTF-8 bytes", Required = true };
        var text = new Option<string?>("--text") { Description = $"The proposal's text, at most {ProposalPayload.MaxTextBytes} UTF-8 bytes" };
        var textFile = new Option<string?>("--text-file") { Description = "Read the text from this file instead" };
        var effect = new ProposalEffectOptions();
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();

        var command = new Command("new", "Make a proposal: sign it with a member key and submit it; prints the proposal id (its tx id)")
        {
            gateway, memberKey, title, text, textFile, nonce, wait, Input.JsonOutput.Option(),
        };
        foreach (Option option in effect.All) command.Options.Add(option);
        command.SetAction(async (parseResult, cancel) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string titleText = parseResult.GetValue(title)!;
            string? body = parseResult.GetValue(text);
            string? path = parseResult.GetValue(textFile);
            string? problem = null;
            if (body is not null && path is not null) problem = "give --text or --text-file, not both";
            else if (path is not null)
            {
                try
                {
                    body = File.ReadAllText(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problem = $"cannot read --text-file {path}: {e.Message}";
                }
            }
            body ??= "";
            int titleBytes = Encoding.UTF8.GetByteCount(titleText);
            problem ??= titleBytes is < 1 or > ProposalPayload.MaxTitleBytes ? $"--title must be 1..{ProposalPayload.MaxTitleBytes} UTF-8 bytes, got {titleBytes}"
                : Encoding.UTF8.GetByteCount(body) > ProposalPayload.MaxTextBytes ? $"the text is {Encoding.UTF8.GetByteCount(body)} UTF-8 bytes; shorten it to {ProposalPayload.MaxTextBytes}"
                : null;
            // Checked here, before the gateway is asked; built again with the chain's currency once it answered.
            if (problem is null) effect.Build(parseResult, null, out problem);
            if (problem is not null)
            {
                error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(memberKey)!, "member",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (status, n) => new ProposalPayload(status.ChainId, n, titleText, body, effect.Build(parseResult, status, out _)!), cancel);
        });
        return command;
    }

    private static Command CreateList()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var status = new Option<string>("--status") { Description = "all, open or closed", DefaultValueFactory = _ => "all" };
        var command = new Command("list", "List the proposals, oldest first: id, status, kind, proposer, title") { gateway, status, Input.JsonOutput.Option() };
        command.SetAction(async (parseResult, cancel) =>
        {
            string filter = parseResult.GetValue(status)!;
            if (filter is not ("all" or "open" or "closed"))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: --status must be all, open or closed, got '{filter}'");
                return ExitCodes.BadInput;
            }
            return await GovernanceQuery.RunAsync(parseResult, parseResult.GetValue(gateway)!, async (client, output) =>
            {
                ProposalsResponse list = await client.GetAsync("/proposals?status=" + filter, ApiJsonContext.Default.ProposalsResponse, cancel);
                if (Input.JsonOutput.Requested(parseResult))
                {
                    Input.JsonOutput.Write(output, list, ApiJsonContext.Web.ProposalsResponse);
                    return;
                }
                foreach (ProposalSummaryJson p in list.Proposals) output.WriteLine($"{p.Id}  {p.Status,-14}  {p.Kind,-16}  {p.Proposer,-10}  {p.Title}");
                if (list.Proposals.Count == 0) parseResult.InvocationConfiguration.Error.WriteLine("no proposals");
            });
        });
        return command;
    }

    private static Command CreateShow()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var id = new Argument<string>("proposal-id") { Description = "The proposal id (64 hex digits), as `proposal new` or `proposal list` print it" };
        var command = new Command("show", "Show a proposal: text, effect, votes, tally and status") { gateway, id, Input.JsonOutput.Option() };
        command.SetAction(async (parseResult, cancel) =>
        {
            string proposalId = parseResult.GetValue(id)!;
            if (AdminSubmission.ParseKey(proposalId) is null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: '{proposalId}' is not a proposal id (64 hex digits)");
                return ExitCodes.BadInput;
            }
            return await GovernanceQuery.RunAsync(parseResult, parseResult.GetValue(gateway)!, async (client, output) =>
            {
                ProposalResponse shown = await client.GetAsync("/proposals/" + proposalId.ToLowerInvariant(), ApiJsonContext.Default.ProposalResponse, cancel);
                if (Input.JsonOutput.Requested(parseResult)) Input.JsonOutput.Write(output, shown, ApiJsonContext.Web.ProposalResponse);
                else GovernanceText.Write(output, shown);
            });
        });
        return command;
    }
}
