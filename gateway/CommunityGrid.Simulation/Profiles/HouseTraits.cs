using System;

namespace CommunityGrid.Simulation.Profiles;

/// <summary>What makes one house's profiles its own, drawn once per house from the seed (distributions in docs/simulation.md).</summary>
/// <param name="PeakKilowatts">PV array size in kWp; 0 for a house without PV.</param>
/// <param name="PerformanceRatio">AC energy over the nameplate's ideal energy (inverter, wiring, temperature, soiling).</param>
/// <param name="ArrayFactor">Irradiance on this roof's panels relative to a horizontal plane (tilt, azimuth, shading).</param>
/// <param name="AnnualKilowattHours">Household consumption per year, to which the H0 profile is scaled.</param>
public sealed record HouseTraits(string HouseId, double PeakKilowatts, double PerformanceRatio, double ArrayFactor, double AnnualKilowattHours)
{
    public bool HasPv => PeakKilowatts > 0;

    public static HouseTraits Draw(long seed, string houseId, bool hasPv)
    {
        Random random = SeededRandom.For(seed, houseId, "traits");
        double peak = random.LogNormal(median: 5.5, sigma: 0.35, min: 3.0, max: 10.0);
        double ratio = random.Uniform(0.75, 0.85);
        double array = random.Uniform(0.85, 1.10);
        double annual = random.LogNormal(median: 3500, sigma: 0.35, min: 1500, max: 8000);
        return new HouseTraits(houseId, hasPv ? Math.Round(peak, 2) : 0, ratio, array, Math.Round(annual));
    }
}
