using System.CommandLine;
using System.Text;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Governance;

/// <summary><c>cgrid fund payout | history</c>: spending from the community fund under a passed proposal, and where the fund came from and went.</summary>
public static class FundCommand
{
    public static Command Create()
    {
        var fund = new Command("fund", "The community fund: pay out under a passed spending proposal, show its history");
        fund.Subcommands.Add(CreatePayout());
        fund.Subcommands.Add(CreateHistory());
        return fund;
    }

    private static Command CreatePayout()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var treasurerKey = new Option<string>("--treasurer-key") { Description = "The treasurer's key file", Required = true };
        var proposal = new Option<string>("--proposal") { Description = "The passed spending proposal that allows the payout (id)", Required = true };
        var amount = new Option<string>("--amount") { Description = "In the community's currency units (900.00 = 900 EUR); at most what the proposal still allows and what the fund holds", Required = true };
        var reference = new Option<string>("--reference") { Description = $"Bank or receipt reference, at most {FundPayoutPayload.MaxReferenceBytes} UTF-8 bytes", Required = true };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();
        var command = new Command("payout", "Record money paid out of the fund to a passed spending proposal's payee; prints the tx id")
        {
            gateway, treasurerKey, proposal, amount, reference, nonce, wait, Input.JsonOutput.Option(),
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            byte[]? id = AdminSubmission.ParseKey(parseResult.GetValue(proposal)!);
            string value = parseResult.GetValue(amount)!;
            string text = parseResult.GetValue(reference)!;
            string? problem = id is null ? "--proposal must be a proposal id, 64 hex digits"
                : Input.MoneyAmount.CheckForm(value, "--amount") is { } form ? form
                : Encoding.UTF8.GetByteCount(text) > FundPayoutPayload.MaxReferenceBytes ? $"--reference must be at most {FundPayoutPayload.MaxReferenceBytes} UTF-8 bytes"
                : null;
            if (problem is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(treasurerKey)!, "treasurer",
                parseResult.GetValue(nonce), parseResult.GetValue(wait), (status, n) => new FundPayoutPayload(status.ChainId, n, id!, AdminSubmission.Amount(value, "--amount", status, EffectRules.MaxSpendingAmount), text), cancel);
        });
        return command;
    }

    private static Command CreateHistory()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var command = new Command("history", "The fund now, its income per interval (intervals with income) and every payout with its proposal") { gateway, Input.JsonOutput.Option() };
        command.SetAction(async (parseResult, cancel) =>
            await GovernanceQuery.RunAsync(parseResult, parseResult.GetValue(gateway)!, async (client, output) =>
            {
                FundResponse first = await client.GetAsync("/fund?limit=1000", ApiJsonContext.Default.FundResponse, cancel);
                if (Input.JsonOutput.Requested(parseResult))
                {
                    // Every page of income joined into one document, as one unpaged GET /fund would answer.
                    var income = new System.Collections.Generic.List<FundIncomeJson>(first.Income);
                    for (long? after = first.NextAfter; after is not null;)
                    {
                        FundResponse page = await client.GetAsync($"/fund?limit=1000&after={after}", ApiJsonContext.Default.FundResponse, cancel);
                        income.AddRange(page.Income);
                        after = page.NextAfter;
                    }
                    Input.JsonOutput.Write(output, first with { Income = income, NextAfter = null }, ApiJsonContext.Web.FundResponse);
                    return;
                }
                output.WriteLine($"fund       {first.Fund} (minor units of {first.Currency}) at height {first.Height}");
                long total = 0;
                for (FundResponse page = first; ; page = await client.GetAsync($"/fund?limit=1000&after={page.NextAfter}", ApiJsonContext.Default.FundResponse, cancel))
                {
                    foreach (FundIncomeJson i in page.Income)
                    {
                        total += i.Amount;
                        if (i.Amount != 0) output.WriteLine($"income     {GovernanceText.Time(i.IntervalStart * 1000)}  {i.Amount}");
                    }
                    if (page.NextAfter is null) break;
                }
                output.WriteLine($"income     total {total}");
                foreach (FundPayoutJson p in first.Payouts)
                {
                    output.WriteLine($"payout     {GovernanceText.Time(p.TimeMs)}  {p.Amount} to {p.PayeeKind} '{p.Payee}' for {p.Purpose}, proposal {p.ProposalId}, ref {p.Reference}");
                }
            }));
        return command;
    }
}
