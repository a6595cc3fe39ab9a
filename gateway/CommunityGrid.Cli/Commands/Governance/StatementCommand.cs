using System.CommandLine;
using System.Text;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Governance;

/// <summary><c>cgrid statement post | list</c>: short signed public statements, never edited, only followed.</summary>
public static class StatementCommand
{
    public static Command Create()
    {
        var statement = new Command("statement", "Signed public statements by houses, on their own or on a proposal");
        statement.Subcommands.Add(CreatePost());
        statement.Subcommands.Add(CreateList());
        return statement;
    }

    private static Command CreatePost()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        Option<string> memberKey = ProposalCommand.MemberKeyOption();
        var text = new Option<string>("--text") { Description = $"The statement, 1..{StatementPayload.MaxTextBytes} UTF-8 bytes", Required = true };
        var proposal = new Option<string?>("--proposal") { Description = "Attach it to this proposal (id, 64 hex digits)" };
        var follows = new Option<string?>("--follows") { Description = "It follows (corrects or answers) this earlier statement (id)" };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();
        var command = new Command("post", "Publish a statement signed with a member key; prints its id")
        {
            gateway, memberKey, text, proposal, follows, nonce, wait, Input.JsonOutput.Option(),
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            string body = parseResult.GetValue(text)!;
            byte[]? proposalId = parseResult.GetValue(proposal) is { } p ? AdminSubmission.ParseKey(p) : null;
            byte[]? followsId = parseResult.GetValue(follows) is { } f ? AdminSubmission.ParseKey(f) : null;
            int bytes = Encoding.UTF8.GetByteCount(body);
            string? problem = bytes is < 1 or > StatementPayload.MaxTextBytes ? $"--text must be 1..{StatementPayload.MaxTextBytes} UTF-8 bytes, got {bytes}"
                : parseResult.GetValue(proposal) is not null && proposalId is null ? "--proposal must be a proposal id, 64 hex digits"
                : parseResult.GetValue(follows) is not null && followsId is null ? "--follows must be a statement id, 64 hex digits"
                : null;
            if (problem is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(memberKey)!, "member",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (chainId, n) => new StatementPayload(chainId, n, body, proposalId, followsId), cancel);
        });
        return command;
    }

    private static Command CreateList()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var proposal = new Option<string?>("--proposal") { Description = "Only statements on this proposal" };
        var command = new Command("list", "List statements in chain order: time, house, id, what it follows, text") { gateway, proposal, Input.JsonOutput.Option() };
        command.SetAction(async (parseResult, cancel) =>
        {
            string? p = parseResult.GetValue(proposal);
            if (p is not null && AdminSubmission.ParseKey(p) is null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: --proposal must be a proposal id, 64 hex digits");
                return ExitCodes.BadInput;
            }
            return await GovernanceQuery.RunAsync(parseResult, parseResult.GetValue(gateway)!, async (client, output) =>
            {
                string? after = null;
                bool json = Input.JsonOutput.Requested(parseResult);
                var all = new System.Collections.Generic.List<StatementJson>();
                do
                {
                    string path = "/statements?limit=1000" + (p is null ? "" : "&proposal=" + p) + (after is null ? "" : "&after=" + after);
                    StatementsResponse page = await client.GetAsync(path, ApiJsonContext.Default.StatementsResponse, cancel);
                    all.AddRange(page.Statements);
                    foreach (StatementJson s in json ? [] : page.Statements)
                    {
                        string context = (s.ProposalId is null ? "" : $" on {s.ProposalId[..12]}…") + (s.Follows is null ? "" : $" following {s.Follows[..12]}…");
                        output.WriteLine($"{GovernanceText.Time(s.TimeMs)}  {s.HouseId}  {s.Id}{context}");
                        output.WriteLine($"    {s.Text}");
                    }
                    after = page.NextAfter;
                }
                while (after is not null);
                // Every page joined into one document, as one unpaged GET /statements would answer.
                if (json) Input.JsonOutput.Write(output, new StatementsResponse(all, null), ApiJsonContext.Web.StatementsResponse);
            });
        });
        return command;
    }
}
