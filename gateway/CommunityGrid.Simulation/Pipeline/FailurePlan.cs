using System;
using System.Collections.Generic;
using System.Globalization;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>A house's meters offline from <paramref name="FromSeconds"/> to <paramref name="ToSeconds"/> after the simulation start.</summary>
public sealed record MeterOutage(string HouseId, long FromSeconds, long ToSeconds);

/// <summary>Gateway <paramref name="Gateway"/> (1-based: g1, g2, …) is down from <paramref name="FromSeconds"/> to <paramref name="ToSeconds"/> after the simulation start.</summary>
public sealed record GatewayStop(int Gateway, long FromSeconds, long ToSeconds)
{
    public string Name => $"g{Gateway}";
}

/// <summary>
/// The failures to inject. Times are "HH:MM" counted from the simulation start (midnight UTC of --start); hours may
/// exceed 23 for later days, e.g. 30:00 is 06:00 on the second day.
/// </summary>
public sealed record FailurePlan(IReadOnlyList<MeterOutage> Outages, IReadOnlyList<long> GatewayRestartsSeconds)
{
    public static FailurePlan None { get; } = new([], []);

    /// <summary>Gateways taken down and brought back (several gateways only: the others go on committing meanwhile).</summary>
    public IReadOnlyList<GatewayStop> GatewayStops { get; init; } = [];

    /// <summary>Parses "H:FROM-TO", e.g. "h003:10:00-14:30".</summary>
    /// <exception cref="FormatException">the text is not of that form; the message says what is expected.</exception>
    public static MeterOutage ParseOutage(string text)
    {
        (string house, long from, long to) = ParseWindow(text, "--drop-meter", "HOUSE:FROM-TO, e.g. h003:10:00-14:30");
        return new MeterOutage(house, from, to);
    }

    /// <summary>Parses "gN:FROM-TO", e.g. "g2:10:00-14:00".</summary>
    /// <exception cref="FormatException">the text is not of that form; the message says what is expected.</exception>
    public static GatewayStop ParseGatewayStop(string text)
    {
        const string expected = "GATEWAY:FROM-TO, e.g. g2:10:00-14:00";
        (string gateway, long from, long to) = ParseWindow(text, "--stop-gateway", expected);
        if (gateway.Length < 2 || gateway[0] != 'g' || !int.TryParse(gateway.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
        {
            throw new FormatException($"--stop-gateway '{text}': '{gateway}' is not a gateway name g1, g2, …; expected {expected}");
        }
        return new GatewayStop(number, from, to);
    }

    private static (string Who, long From, long To) ParseWindow(string text, string option, string expected)
    {
        int colon = text.IndexOf(':');
        int dash = text.IndexOf('-', colon + 1);
        if (colon <= 0 || dash < 0) throw new FormatException($"{option} '{text}': expected {expected}");
        long from = ParseTime(text[(colon + 1)..dash], option);
        long to = ParseTime(text[(dash + 1)..], option);
        if (to <= from) throw new FormatException($"{option} '{text}': the end {text[(dash + 1)..]} must be after the start {text[(colon + 1)..dash]}");
        return (text[..colon], from, to);
    }

    /// <summary>Parses "HH:MM" (hours may exceed 23) into seconds after the start.</summary>
    public static long ParseTime(string text, string option)
    {
        string[] parts = text.Split(':');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
            && minutes < 60 && parts[1].Length == 2)
        {
            return hours * 3600L + minutes * 60L;
        }
        throw new FormatException($"{option}: '{text}' is not a time HH:MM after the simulation start (e.g. 12:00, or 30:00 for 06:00 on day 2)");
    }
}
