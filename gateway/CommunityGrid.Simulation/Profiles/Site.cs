namespace CommunityGrid.Simulation.Profiles;

/// <summary>
/// Where the community is. Latitude and longitude drive the sun; the local clock (standard offset plus EU summer
/// time) drives the household load profile, which the BDEW tabulates in local time.
/// </summary>
public sealed record Site(double LatitudeDegrees, double LongitudeDegrees, int StandardOffsetMinutes = 60, bool EuropeanSummerTime = true)
{
    /// <summary>The Netherlands, roughly: 52.0° N, 5.0° E, Central European Time.</summary>
    public static Site Default { get; } = new(52.0, 5.0);
}
