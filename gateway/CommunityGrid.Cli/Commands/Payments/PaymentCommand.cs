using System.CommandLine;
using System.IO;
using System.Text;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Payments;

/// <summary><c>cgrid payment</c>: a treasurer records real money that moved between a house and the community.</summary>
public static class PaymentCommand
{
    /// <summary>The chain's upper bound on an amount (docs/chain.md §2).</summary>
    public const long MaxAmount = CommunityGrid.Chain.Validation.AdminRules.MaxPaymentAmount;

    public static Command Create()
    {
        Option<string> gateway = AdminSubmission.GatewayOption();
        var treasurerKey = new Option<string>("--treasurer-key") { Description = "The treasurer's key file (cgrid keys new)", Required = true };
        var house = new Option<string>("--house") { Description = "The house that paid or was paid", Required = true };
        var deposit = new Option<string?>("--deposit") { Description = "The house paid this amount in, in the community's currency units (25.00 = 25 EUR): its balance rises" };
        var payout = new Option<string?>("--payout") { Description = "The community paid this amount out to the house, in currency units (25.00 = 25 EUR): its balance falls" };
        var reference = new Option<string>("--reference") { Description = "Bank or receipt reference, at most 140 UTF-8 bytes", Required = true };
        Option<long?> nonce = AdminSubmission.NonceOption();
        Option<int> wait = AdminSubmission.WaitOption();

        var command = new Command("payment", "Record a deposit or payout: sign a payment transaction with a treasurer key and submit it; prints the tx id")
        {
            gateway, treasurerKey, house, deposit, payout, reference, nonce, wait, Input.JsonOutput.Option(),
        };
        command.SetAction(async (parseResult, cancel) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            string houseId = parseResult.GetValue(house)!;
            string text = parseResult.GetValue(reference)!;
            (string? inAmount, string? outAmount) = (parseResult.GetValue(deposit), parseResult.GetValue(payout));
            string amountOption = inAmount is not null ? "--deposit" : "--payout";
            string amountText = inAmount ?? outAmount ?? "";
            string? problem =
                (inAmount is null) == (outAmount is null) ? "give exactly one of --deposit AMOUNT or --payout AMOUNT" :
                Input.MoneyAmount.CheckForm(amountText, amountOption) is { } form ? form :
                !Identifiers.IsEntityId(houseId) ? $"--house '{houseId}' must be {Identifiers.EntityIdRule}" :
                Encoding.UTF8.GetByteCount(text) > PaymentPayload.MaxReferenceBytes ? $"--reference is {Encoding.UTF8.GetByteCount(text)} UTF-8 bytes; shorten it to {PaymentPayload.MaxReferenceBytes}" :
                null;
            if (problem is not null)
            {
                error.WriteLine("error: " + problem);
                return ExitCodes.BadInput;
            }
            PaymentKind kind = inAmount is not null ? PaymentKind.Deposit : PaymentKind.Payout;
            return await AdminSubmission.RunAsync(parseResult, parseResult.GetValue(gateway)!, parseResult.GetValue(treasurerKey)!, "treasurer",
                parseResult.GetValue(nonce), parseResult.GetValue(wait),
                (status, n) => new PaymentPayload(status.ChainId, n, houseId, kind, AdminSubmission.Amount(amountText, amountOption, status, MaxAmount), text), cancel);
        });
        return command;
    }
}
