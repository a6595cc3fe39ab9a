using System.Collections.Generic;
using System.CommandLine;
using System.Text;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Cli.Commands.Community;

namespace CommunityGrid.Cli.Commands.Governance;

/// <summary>The options of <c>cgrid proposal new</c> that describe what the proposal asks for, and turning them into an effect.</summary>
internal sealed class ProposalEffectOptions
{
    public const string Kinds = "parameters, spending, admit-member, remove-member, add-validator, remove-validator, add-officer, remove-officer, resolution";

    public Option<string> Kind { get; } = new("--kind") { Description = "What the proposal asks for: " + Kinds, Required = true };
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "parameters: NAME=VALUE, repeatable, e.g. --set retailPrice=31 --set pricingMechanism=sdr (names and units as in the genesis file: prices in minor units per kWh, 31 = 0.31 EUR/kWh; or key numbers)",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string?> Amount { get; } = new("--amount") { Description = "spending: amount in the community's currency units (900.00 = 900 EUR)" };
    public Option<string?> PayeeHouse { get; } = new("--payee-house") { Description = "spending: the member house that is paid" };
    public Option<string?> PayeeExternal { get; } = new("--payee-external") { Description = "spending: an external payee by reference, e.g. \"Batteries Ltd, invoice 4711\"" };
    public Option<string?> Purpose { get; } = new("--purpose") { Description = "spending: what the money is for (storage, maintenance, …)" };
    public Option<string?> House { get; } = new("--house") { Description = "admit-member, remove-member: the house id" };
    public Option<string?> PublicKey { get; } = new("--public-key") { Description = "admit-member: the house's member key; validator and officer kinds: the key (64 hex digits)" };
    public Option<string?> Address { get; } = new("--address") { Description = "add-validator: where the gateway listens for peers, host:port" };
    public Option<string?> Role { get; } = new("--role") { Description = "add-officer, remove-officer: installer or treasurer" };

    public IEnumerable<Option> All => [Kind, Set, Amount, PayeeHouse, PayeeExternal, Purpose, House, PublicKey, Address, Role];

    /// <summary>The effect, or null with <paramref name="problem"/> saying what to give instead.</summary>
    /// <param name="status">The gateway's status, whose currency scales a spending amount; null: check the options only (the amount's form, not its scale).</param>
    /// <exception cref="GatewayInputException">with <paramref name="status"/>: the amount is not a whole number of the chain's minor units, or out of range.</exception>
    public ProposalEffect? Build(ParseResult r, Api.Json.StatusResponse? status, out string? problem)
    {
        problem = null;
        string kind = r.GetValue(Kind)!;
        string? house = r.GetValue(House);
        byte[]? key = r.GetValue(PublicKey) is { } hex ? AdminSubmission.ParseKey(hex) : null;
        switch (kind)
        {
            case "parameters":
                return Parameters(r.GetValue(Set) ?? [], out problem);
            case "spending":
                return Spending(r, status, out problem);
            case "admit-member":
                if (!Identifiers.IsEntityId(house)) { problem = $"--house must be a house id ({Identifiers.EntityIdRule})"; return null; }
                if (key is null) { problem = "--public-key must be the house's member public key, 64 hex digits"; return null; }
                return new AdmitMemberEffect(house!, key);
            case "remove-member":
                if (!Identifiers.IsEntityId(house)) { problem = $"--house must be a house id ({Identifiers.EntityIdRule})"; return null; }
                return new RemoveMemberEffect(house!);
            case "add-validator":
            case "remove-validator":
                if (key is null) { problem = "--public-key must be the gateway's public key, 64 hex digits"; return null; }
                if (kind == "remove-validator") return new RemoveValidatorEffect(key);
                if (r.GetValue(Address) is not { Length: > 0 } address) { problem = "--address host:port is required for add-validator"; return null; }
                return new AddValidatorEffect(key, address);
            case "add-officer":
            case "remove-officer":
                if (key is null) { problem = "--public-key must be the officer's public key, 64 hex digits"; return null; }
                OfficerRole? role = r.GetValue(Role) switch { "installer" => OfficerRole.Installer, "treasurer" => OfficerRole.Treasurer, _ => null };
                if (role is null) { problem = "--role must be installer or treasurer"; return null; }
                return new OfficerKeyEffect(kind == "add-officer", role.Value, key);
            case "resolution":
                return new ResolutionEffect();
            default:
                problem = $"--kind '{kind}' is not a proposal kind; use one of: {Kinds}";
                return null;
        }
    }

    private static ParameterChangeEffect? Parameters(string[] settings, out string? problem)
    {
        problem = null;
        var changes = new SortedDictionary<int, ParameterValue>();
        foreach (string setting in settings)
        {
            int eq = setting.IndexOf('=');
            int? key = eq > 0 ? ParameterNames.KeyOf(setting[..eq]) : null;
            if (key is null || eq == setting.Length - 1)
            {
                problem = $"--set '{setting}' must be NAME=VALUE with a parameter name from the genesis file (e.g. retailPrice=310) or a key number";
                return null;
            }
            if (!changes.TryAdd(key.Value, ParameterNames.Parse(key.Value, setting[(eq + 1)..])))
            {
                problem = $"--set names parameter {ParameterNames.NameOf(key.Value)} twice";
                return null;
            }
        }
        if (changes.Count is < 1 or > ParameterChangeEffect.MaxChanges)
        {
            problem = $"a parameters proposal needs 1..{ParameterChangeEffect.MaxChanges} --set NAME=VALUE";
            return null;
        }
        return new ParameterChangeEffect([.. changes.Values]);
    }

    private SpendingEffect? Spending(ParseResult r, Api.Json.StatusResponse? status, out string? problem)
    {
        (string? house, string? external) = (r.GetValue(PayeeHouse), r.GetValue(PayeeExternal));
        string? amountText = r.GetValue(Amount);
        string purpose = r.GetValue(Purpose) ?? "";
        problem =
            amountText is null ? "--amount is required for spending: " + Input.MoneyAmount.Form :
            Input.MoneyAmount.CheckForm(amountText, "--amount") is { } form ? form :
            (house is null) == (external is null) ? "give exactly one of --payee-house HOUSE or --payee-external REFERENCE" :
            house is not null && !Identifiers.IsEntityId(house) ? $"--payee-house must be a house id ({Identifiers.EntityIdRule})" :
            external is not null && (external.Length == 0 || Encoding.UTF8.GetByteCount(external) > SpendingEffect.MaxPayeeBytes) ? $"--payee-external must be 1..{SpendingEffect.MaxPayeeBytes} UTF-8 bytes" :
            purpose.Length == 0 || Encoding.UTF8.GetByteCount(purpose) > SpendingEffect.MaxPurposeBytes ? $"--purpose is required, 1..{SpendingEffect.MaxPurposeBytes} UTF-8 bytes" :
            null;
        if (problem is not null) return null;
        long amount = status is null ? 1 : AdminSubmission.Amount(amountText!, "--amount", status, EffectRules.MaxSpendingAmount);
        return problem is null ? new SpendingEffect(amount, house is null ? PayeeKind.External : PayeeKind.House, house ?? external!, purpose) : null;
    }
}
