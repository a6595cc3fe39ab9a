using System.CommandLine;

namespace CommunityGrid.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("cgrid: CommunityGrid command line");
        root.Subcommands.Add(Commands.Clear.ClearCommand.Create());
        root.Subcommands.Add(Commands.Keys.KeysCommand.Create());
        root.Subcommands.Add(Commands.Readings.ReadingCommand.Create());
        root.Subcommands.Add(Commands.Community.CommunityCommand.Create());
        root.Subcommands.Add(Commands.Meters.MeterCommand.Create());
        root.Subcommands.Add(Commands.Members.MemberCommand.Create());
        root.Subcommands.Add(Commands.Payments.PaymentCommand.Create());
        root.Subcommands.Add(Commands.Governance.ProposalCommand.Create());
        root.Subcommands.Add(Commands.Governance.VoteCommand.Create());
        root.Subcommands.Add(Commands.Governance.StatementCommand.Create());
        root.Subcommands.Add(Commands.Governance.FundCommand.Create());
        root.Subcommands.Add(Commands.Breakaway.ExitCommand.Create());
        root.Subcommands.Add(Commands.Gateway.GatewayCommand.Create());
        root.Subcommands.Add(Commands.Simulate.SimulateCommand.Create());
        root.Subcommands.Add(Commands.Verify.VerifyCommand.Create());

        if (args.Length == 0)
        {
            // No command: show what there is rather than only an error; still bad usage for scripts.
            root.Parse("--help").Invoke();
            return ExitCodes.BadInput;
        }
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (string error in Input.UsageErrors.Describe(parsed))
            {
                System.Console.Error.WriteLine("error: " + error);
            }
            System.Console.Error.WriteLine("Run `cgrid --help` (or `cgrid <command> --help`) for usage.");
            return ExitCodes.BadInput;
        }
        return parsed.Invoke();
    }
}
