using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.RegularExpressions;

namespace CommunityGrid.Cli.Input;

/// <summary>
/// Parse errors as an operator should read them: no .NET type names ("not a whole number" instead of
/// "expected type 'System.Int32'"), and a suggestion for a mistyped command or option.
/// </summary>
public static partial class UsageErrors
{
    private const string RequiredCommand = "Required command was not provided.";

    public static IEnumerable<string> Describe(ParseResult parsed)
    {
        var unknown = new HashSet<string>(parsed.UnmatchedTokens, StringComparer.Ordinal);
        foreach (var error in parsed.Errors)
        {
            // "simulat" yields both "no command" and "unrecognized 'simulat'"; the second says it all.
            if (unknown.Count > 0 && error.Message == RequiredCommand) continue;
            Match unrecognized = UnrecognizedToken().Match(error.Message);
            if (unrecognized.Success && unknown.Contains(unrecognized.Groups[1].Value))
            {
                string token = unrecognized.Groups[1].Value;
                string? suggestion = Suggest(token, parsed.CommandResult.Command);
                yield return suggestion is null
                    ? $"'{token}' is not a command or option of `{Path(parsed)}`"
                    : $"'{token}' is not a command or option of `{Path(parsed)}`; did you mean '{suggestion}'?";
                continue;
            }
            yield return Plain(error.Message) + MinorUnitsHint(error.Message, parsed.CommandResult.Command);
        }
    }

    /// <summary>For a decimal given to an option that counts minor units (a price per kWh), what it counts: 0.30 is written 30.</summary>
    private static string MinorUnitsHint(string message, Command command)
    {
        Match typed = CannotParse().Match(message);
        if (!typed.Success || !typed.Groups["value"].Value.Contains('.')) return "";
        Option? option = command.Options.FirstOrDefault(o => o.Name == typed.Groups["option"].Value);
        return option?.Description?.Contains("minor units", StringComparison.Ordinal) == true
            ? $"; {option.Name} counts minor units of the currency ({option.Description})"
            : "";
    }

    /// <summary>Replaces System.CommandLine's type wording with what kind of value was expected.</summary>
    public static string Plain(string message)
    {
        Match typed = CannotParse().Match(message);
        if (typed.Success)
        {
            return $"{typed.Groups["option"].Value}: '{typed.Groups["value"].Value}' is not {Kind(typed.Groups["type"].Value)}";
        }
        if (message == RequiredCommand) return "a command is needed";
        return message;
    }

    /// <summary>The closest subcommand or option name within two edits (or a third of the token's length), if any.</summary>
    public static string? Suggest(string token, Command command)
    {
        IEnumerable<string> names = command.Subcommands.Select(c => c.Name)
            .Concat(command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)))
            .Where(n => !n.StartsWith("-", StringComparison.Ordinal) || token.StartsWith("-", StringComparison.Ordinal));
        int limit = Math.Max(2, token.Length / 3);
        return names.Select(n => (Name: n, Distance: Distance(token, n)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>"cgrid community init": the command the parser got to, with its parents.</summary>
    private static string Path(ParseResult parsed)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = parsed.CommandResult; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult c) names.Insert(0, c.Command is RootCommand ? "cgrid" : c.Command.Name);
        }
        return string.Join(' ', names);
    }

    private static string Kind(string type) => type.Replace("System.Nullable`1[", "").TrimEnd(']') switch
    {
        "System.Int32" or "System.Int64" or "System.UInt16" or "System.UInt32" or "System.Int16" => "a whole number",
        "System.Double" or "System.Decimal" or "System.Single" => "a number (use a dot for decimals: 0.8)",
        "System.Boolean" => "true or false",
        "System.DateOnly" => "a date yyyy-MM-dd",
        var other => "a value of the expected kind (" + other.Replace("System.", "") + ")",
    };

    /// <summary>Levenshtein distance (insert, delete, substitute: one each).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.$")]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>.*)' as expected type '(?<type>.*)'\.")]
    private static partial Regex CannotParse();
}
