using System;

namespace CommunityGrid.Simulation.Report;

/// <summary>Local wall-clock time of an interval, as the report shows it.</summary>
public static class ReportTime
{
    public static DateTime Local(IntervalRow row) => DateTime.UnixEpoch.AddSeconds(row.Start).AddMinutes(row.UtcOffsetMinutes);

    public static string Iso(IntervalRow row) =>
        new DateTimeOffset(DateTime.SpecifyKind(Local(row), DateTimeKind.Unspecified), TimeSpan.FromMinutes(row.UtcOffsetMinutes))
            .ToString("yyyy-MM-ddTHH:mmzzz", System.Globalization.CultureInfo.InvariantCulture);
}
