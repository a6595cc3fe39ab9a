using System;
using System.IO;
using System.Linq;
using System.Text;
using CommunityGrid.Meter.Time;

namespace CommunityGrid.Meter.Tests.Time;

/// <summary>
/// The meter's POSIX TZ rules (issue 15 case 7) against worked DST transitions and against the system's tz database:
/// for each zone the rule is the footer of its TZif file, and every hour of 2026..2035 must give .NET's offset.
/// </summary>
public sealed class PosixTimeZoneTests
{
    private const string Berlin = "CET-1CEST,M3.5.0,M10.5.0/3";

    private static long Utc(int year, int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public void Central_Europe_switches_at_01_00_UTC_on_the_last_Sundays_of_March_and_October()
    {
        PosixTimeZone zone = PosixTimeZone.Parse(Berlin);
        // 2026-03-29 is the last Sunday of March: 02:00 CET -> 03:00 CEST, i.e. 01:00 UTC.
        Assert.Equal(3600, zone.OffsetAt(Utc(2026, 3, 29, 0, 59) + 59));
        Assert.Equal(7200, zone.OffsetAt(Utc(2026, 3, 29, 1)));
        Assert.Equal("CET", zone.NameAt(Utc(2026, 3, 29, 0, 59)));
        Assert.Equal("CEST", zone.NameAt(Utc(2026, 3, 29, 1)));
        // 2026-10-25: 03:00 CEST -> 02:00 CET, i.e. 01:00 UTC.
        Assert.Equal(7200, zone.OffsetAt(Utc(2026, 10, 25, 0, 59)));
        Assert.Equal(3600, zone.OffsetAt(Utc(2026, 10, 25, 1)));
        Assert.Equal(Utc(2026, 10, 25, 2), zone.ToLocal(Utc(2026, 10, 25, 0))); // 02:00 CEST
        Assert.Equal(Utc(2026, 10, 25, 2), zone.ToLocal(Utc(2026, 10, 25, 1))); // 02:00 CET, the hour repeated
    }

    [Fact]
    public void The_local_day_starts_at_local_midnight_and_a_DST_day_has_23_hours()
    {
        PosixTimeZone zone = PosixTimeZone.Parse(Berlin);
        long march29 = zone.LocalDay(Utc(2026, 3, 28, 23)); // 00:00 local on the 29th
        Assert.Equal(march29 - 1, zone.LocalDay(Utc(2026, 3, 28, 22, 59)));
        Assert.Equal(march29, zone.LocalDay(Utc(2026, 3, 29, 21, 59))); // 23:59 CEST
        Assert.Equal(march29 + 1, zone.LocalDay(Utc(2026, 3, 29, 22))); // midnight CEST, 23 hours later
    }

    [Fact]
    public void Southern_rules_wrap_the_new_year()
    {
        PosixTimeZone zone = PosixTimeZone.Parse("AEST-10AEDT,M10.1.0,M4.1.0/3");
        Assert.True(zone.IsDaylightAt(Utc(2026, 1, 15, 0)));
        Assert.False(zone.IsDaylightAt(Utc(2026, 6, 15, 0)));
        // First Sunday of April 2026 is the 5th: 03:00 AEDT = 16:00 UTC on the 4th.
        Assert.True(zone.IsDaylightAt(Utc(2026, 4, 4, 15, 59)));
        Assert.False(zone.IsDaylightAt(Utc(2026, 4, 4, 16)));
        // First Sunday of October 2026 is the 4th: 02:00 AEST = 16:00 UTC on the 3rd.
        Assert.False(zone.IsDaylightAt(Utc(2026, 10, 3, 15, 59)));
        Assert.True(zone.IsDaylightAt(Utc(2026, 10, 3, 16)));
    }

    [Theory]
    [InlineData("UTC0", 0)]
    [InlineData("JST-9", 9 * 3600)]
    [InlineData("IST-5:30", 19_800)]
    [InlineData("<-03>3", -3 * 3600)]
    [InlineData("<+0545>-5:45", 20_700)]
    public void Zones_without_daylight_time_have_one_offset(string rule, int offsetEast)
    {
        PosixTimeZone zone = PosixTimeZone.Parse(rule);
        Assert.Equal(offsetEast, zone.OffsetAt(Utc(2026, 1, 1, 0)));
        Assert.Equal(offsetEast, zone.OffsetAt(Utc(2026, 7, 1, 0)));
        Assert.Equal(rule == "UTC0", zone.IsUtc);
    }

    [Fact]
    public void Julian_day_forms_count_February_29_as_POSIX_says()
    {
        // J60 is March 1 in every year; 59 (zero-based) is March 1 in common years and February 29 in leap years.
        PosixTimeZone julian = PosixTimeZone.Parse("AAA0BBB,J60/0,J300/0");
        PosixTimeZone zeroBased = PosixTimeZone.Parse("AAA0BBB,59/0,300/0");
        Assert.False(julian.IsDaylightAt(Utc(2028, 2, 29, 23, 59)));
        Assert.True(julian.IsDaylightAt(Utc(2028, 3, 1, 0)));
        Assert.True(zeroBased.IsDaylightAt(Utc(2028, 2, 29, 0)));
        Assert.False(zeroBased.IsDaylightAt(Utc(2028, 2, 28, 23, 59)));
        Assert.True(zeroBased.IsDaylightAt(Utc(2027, 3, 1, 0)));
    }

    [Theory]
    [InlineData("", "standard time name must be 3 or more letters")]
    [InlineData("CET", "the UTC offset after CET is missing")]
    [InlineData("CET-1CEST", "no rule for when CEST starts and ends")]
    [InlineData("CET-1CEST,M3.5.0", "expected ','")]
    [InlineData("CET-1CEST,M13.5.0,M10.5.0/3", "month must be 1..12, got 13")]
    [InlineData("CET-25", "hours must be 0..24, got 25")]
    [InlineData("CET-1CEST,M3.5.0,M10.5.0/3x", "unexpected text after the end rule")]
    public void Malformed_rules_are_refused_with_what_is_wrong(string rule, string message)
    {
        var error = Assert.Throws<FormatException>(() => PosixTimeZone.Parse(rule));
        Assert.Contains(message, error.Message);
        Assert.Contains("write a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3", error.Message);
    }

    [Fact]
    public void A_zone_name_is_refused_with_the_way_to_its_rule()
    {
        var error = Assert.Throws<FormatException>(() => PosixTimeZone.Parse("Europe/Berlin"));
        Assert.Contains("is a zone name, and the meter has no zone database; write the zone's POSIX TZ rule", error.Message);
    }

    /// <summary>Negative transition times (Nuuk), 24:00 (Santiago), quarter-hour offsets (Chatham), southern and northern zones.</summary>
    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("Europe/London")]
    [InlineData("America/New_York")]
    [InlineData("America/Nuuk")]
    [InlineData("America/Santiago")]
    [InlineData("Australia/Sydney")]
    [InlineData("Pacific/Auckland")]
    [InlineData("Pacific/Chatham")]
    [InlineData("Asia/Kolkata")]
    public void Every_hour_for_ten_years_matches_the_tz_database(string zoneId)
    {
        string tzif = Path.Combine("/usr/share/zoneinfo", zoneId);
        Assert.True(File.Exists(tzif), "the system tz database (package tzdata) is needed: " + tzif);
        string footer = Encoding.ASCII.GetString(File.ReadAllBytes(tzif)).TrimEnd('\n').Split('\n').Last();
        PosixTimeZone zone = PosixTimeZone.Parse(footer);
        TimeZoneInfo reference = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        for (long t = Utc(2026, 1, 1, 0); t < Utc(2036, 1, 1, 0); t += 1800)
        {
            int expected = (int)reference.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(t)).TotalSeconds;
            if (zone.OffsetAt(t) != expected)
            {
                Assert.Fail($"{zoneId} ({footer}) at {DateTimeOffset.FromUnixTimeSeconds(t):O}: {zone.OffsetAt(t)} s, the tz database says {expected} s");
            }
        }
    }
}
