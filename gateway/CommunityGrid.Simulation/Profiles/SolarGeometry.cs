namespace CommunityGrid.Simulation.Profiles;

/// <summary>
/// The sun's zenith angle from the NOAA general solar position equations, which use Spencer's (1971) Fourier
/// series for the declination and the equation of time (sources in docs/simulation.md).
/// </summary>
public static class SolarGeometry
{
    private const double DegreesToRadians = PortableMath.Pi / 180;

    /// <summary>cos of the solar zenith angle at a UTC instant; negative when the sun is below the horizon.</summary>
    /// <param name="dayOfYear">1 for 1 January.</param>
    /// <param name="utcHours">Hours since UTC midnight, fractional.</param>
    public static double CosZenith(Site site, int dayOfYear, double utcHours, int daysInYear = 365)
    {
        double gamma = 2 * PortableMath.Pi / daysInYear * (dayOfYear - 1 + (utcHours - 12) / 24);
        double cos1 = PortableMath.Cos(gamma), sin1 = PortableMath.Sin(gamma);
        double cos2 = PortableMath.Cos(2 * gamma), sin2 = PortableMath.Sin(2 * gamma);
        double cos3 = PortableMath.Cos(3 * gamma), sin3 = PortableMath.Sin(3 * gamma);
        double equationOfTimeMinutes = 229.18 * (0.000075 + 0.001868 * cos1 - 0.032077 * sin1 - 0.014615 * cos2 - 0.040849 * sin2);
        double declination = 0.006918 - 0.399912 * cos1 + 0.070257 * sin1 - 0.006758 * cos2 + 0.000907 * sin2
            - 0.002697 * cos3 + 0.00148 * sin3;
        double trueSolarMinutes = utcHours * 60 + equationOfTimeMinutes + 4 * site.LongitudeDegrees;
        double hourAngle = (trueSolarMinutes / 4 - 180) * DegreesToRadians;
        double latitude = site.LatitudeDegrees * DegreesToRadians;
        return PortableMath.Sin(latitude) * PortableMath.Sin(declination)
            + PortableMath.Cos(latitude) * PortableMath.Cos(declination) * PortableMath.Cos(hourAngle);
    }
}
