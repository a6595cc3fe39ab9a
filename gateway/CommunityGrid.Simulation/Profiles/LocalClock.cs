using System;

namespace CommunityGrid.Simulation.Profiles;

/// <summary>Local civil time for the load profile: a standard offset plus, optionally, EU summer time (last Sunday of March to last Sunday of October, 01:00 UTC).</summary>
public static class LocalClock
{
    public static DateTime ToLocal(Site site, DateTime utc) => utc.AddMinutes(OffsetMinutes(site, utc));

    public static int OffsetMinutes(Site site, DateTime utc)
    {
        int offset = site.StandardOffsetMinutes;
        if (!site.EuropeanSummerTime) return offset;
        DateTime begins = LastSunday(utc.Year, 3).AddHours(1);
        DateTime ends = LastSunday(utc.Year, 10).AddHours(1);
        return utc >= begins && utc < ends ? offset + 60 : offset;
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
