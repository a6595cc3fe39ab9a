using System.Text.RegularExpressions;

namespace CommunityGrid.Chain.Encoding;

/// <summary>
/// Identifier rules. House and meter ids are restricted to ASCII so that .NET ordinal string order equals the
/// UTF-8 byte order the state root is defined on, and so that they can sit in state keys beside '/'.
/// </summary>
public static partial class Identifiers
{
    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex ChainIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex EntityIdPattern();

    public static bool IsChainId(string? value) => value is not null && ChainIdPattern().IsMatch(value);

    /// <summary>House ids and meter ids: 1..64 of A-Z a-z 0-9 . _ -</summary>
    public static bool IsEntityId(string? value) => value is not null && EntityIdPattern().IsMatch(value);

    public const string EntityIdRule = "1..64 characters of A-Z a-z 0-9 . _ -";
    public const string ChainIdRule = "1..64 characters of a-z 0-9 -";
}
