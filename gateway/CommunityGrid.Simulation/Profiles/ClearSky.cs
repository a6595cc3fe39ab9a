namespace CommunityGrid.Simulation.Profiles;

/// <summary>Haurwitz's clear-sky global horizontal irradiance: needs only the zenith angle (Reno et al. 2012 rate it well for its simplicity).</summary>
public static class ClearSky
{
    /// <returns>W/m² on a horizontal plane; 0 with the sun below the horizon.</returns>
    public static double HaurwitzGhi(double cosZenith) =>
        cosZenith <= 0 ? 0 : 1098 * cosZenith * PortableMath.Exp(-0.057 / cosZenith);
}
