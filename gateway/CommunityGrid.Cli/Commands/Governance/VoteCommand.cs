using System.CommandLine;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Governance;

/// <summary><c>cgrid vote</c>: the house's vote on an open proposal; a later vote replaces it until the vote closes.</summary>
public static class VoteCommand
{
    public static Command Create()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        Option<string> memberKey = ProposalCommand.MemberKeyOption();
        var proposal = new Option<string>("--proposal") { Description = "The proposal id (64 hex digits)", Required = true };
        var choice = new Option<string>("--choice") { Description = "yes, no or abstain", Required = true };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();
        var command = new Command("vote", "Vote yes, no or abstain on an open proposal with a member key; votes are public; prints the tx id")
        {
            gateway, memberKey, proposal, choice, nonce, wait, Input.JsonOutput.Option(),
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            byte[]? id = AdminSubmission.ParseKey(parseResult.GetValue(proposal)!);
            VoteChoice? vote = parseResult.GetValue(choice) switch { "yes" => VoteChoice.Yes, "no" => VoteChoice.No, "abstain" => VoteChoice.Abstain, _ => null };
            string? problem = id is null ? "--proposal must be a proposal id, 64 hex digits (cgrid proposal list shows them)"
                : vote is null ? $"--choice must be yes, no or abstain, got '{parseResult.GetValue(choice)}'"
                : null;
            if (problem is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(memberKey)!, "member",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (chainId, n) => new VotePayload(chainId, n, id!, vote!.Value), cancel);
        });
        return command;
    }
}
