using System;
using System.Globalization;
using CommunityGrid.Chain.Encoding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CommunityGrid.Api;

/// <summary>
/// Strict parsing of path and query values. Routes take plain strings and parse here, so a malformed value gets
/// a 400 that names it rather than a silent routing 404.
/// </summary>
internal static class Parameters
{
    /// <summary>Digits only (no sign, spaces or exponent), fitting a non-negative int64.</summary>
    public static bool TryNonNegative(string? text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>32 bytes as 64 hex digits (either case); the API answers in lowercase.</summary>
    public static bool TryHash(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is not { Length: Hashes.Size * 2 }) return false;
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An optional query value: absent gives <paramref name="fallback"/>, repeated or malformed gives an error.</summary>
    public static bool TryQuery(IQueryCollection query, string name, long fallback, long min, long max, out long value, out string? error)
    {
        value = fallback;
        error = null;
        StringValues values = query[name];
        if (values.Count == 0) return true;
        if (values.Count > 1)
        {
            error = $"query parameter '{name}' is given {values.Count} times; give it once";
            return false;
        }
        if (!TryNonNegative(values[0], out value) || value < min || value > max)
        {
            error = $"query parameter '{name}' must be a whole number from {min} to {max}, got '{values[0]}'";
            return false;
        }
        return true;
    }
}
