using System.CommandLine;
using System.IO;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Members;

/// <summary><c>cgrid member add</c>: a treasurer admits a house with its member key (docs/chain.md explains why the treasurer).</summary>
public static class MemberCommand
{
    public static Command Create()
    {
        var member = new Command("member", "Members (houses) of the community");
        member.Subcommands.Add(CreateAdd());
        return member;
    }

    private static Command CreateAdd()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var treasurerKey = new Option<string>("--treasurer-key") { Description = "The treasurer's key file (cgrid keys new)", Required = true };
        var house = new Option<string>("--house") { Description = "House id: 1..64 of A-Z a-z 0-9 . _ -", Required = true };
        var memberKey = new Option<string>("--member-key-public") { Description = "The house's member public key, 64 hex digits", Required = true };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();

        var command = new Command("add", "Admit a house: sign an admit-member transaction with a treasurer key and submit it; prints the tx id")
        {
            gateway, treasurerKey, house, memberKey, nonce, wait, Input.JsonOutput.Option(),
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string houseId = parseResult.GetValue(house)!;
            byte[]? key = AdminSubmission.ParseKey(parseResult.GetValue(memberKey)!);
            if (!Identifiers.IsEntityId(houseId))
            {
                error.WriteLine($"error: --house '{houseId}' must be {Identifiers.EntityIdRule}");
                return ExitCodes.BadInput;
            }
            if (key is null)
            {
                error.WriteLine("error: --member-key-public must be the house's 32-byte public key as 64 hex digits");
                return ExitCodes.BadInput;
            }
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(treasurerKey)!, "treasurer",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (chainId, n) => new AdmitMemberPayload(chainId, n, houseId, key), cancel);
        });
        return command;
    }
}
