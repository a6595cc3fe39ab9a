using System;
using System.Globalization;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// <c>--split N:YYYY-MM-DD</c>: the last <paramref name="Houses"/> houses sign their exits at the start and leave
/// from <paramref name="Day"/> 00:00 UTC; their new community starts from the exit records and runs beside the old
/// one (docs/breakaway.md, docs/simulation.md).
/// </summary>
public sealed record SplitPlan(int Houses, DateOnly Day)
{
    public const string NewChainId = "breakaway";

    public long ExitIntervalStart => new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();

    /// <exception cref="FormatException">not N:YYYY-MM-DD.</exception>
    public static SplitPlan Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int houses)
            || !DateOnly.TryParseExact(text[(colon + 1)..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
        {
            throw new FormatException($"--split: '{text}' must be HOUSES:YYYY-MM-DD, e.g. 40:2026-06-02 (40 houses leave from that day)");
        }
        return new SplitPlan(houses, day);
    }
}
