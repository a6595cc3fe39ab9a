using System;
using System.Security.Cryptography;
using System.Text;

namespace CommunityGrid.Simulation.Profiles;

/// <summary>
/// Random streams derived from the run's seed and a label, so each house's draws do not depend on how many other
/// houses or days are simulated. System.Random with an explicit seed uses the same (subtractive) algorithm on every
/// platform and .NET version since 1.0 and produces its doubles by integer division, so the draws are reproducible.
/// </summary>
public static class SeededRandom
{
    public static Random For(long seed, params string[] labels)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + string.Join("|", labels)));
        return new Random(BitConverter.ToInt32(hash, 0) & int.MaxValue);
    }

    public static double Uniform(this Random random, double low, double high) => low + (high - low) * random.NextDouble();

    /// <summary>Approximately standard normal (Irwin–Hall: twelve uniforms minus six); no platform math involved.</summary>
    public static double StandardNormal(this Random random)
    {
        double sum = 0;
        for (int i = 0; i < 12; i++) sum += random.NextDouble();
        return sum - 6;
    }

    /// <summary>Log-normal with the given median and log-space standard deviation, clamped to [min, max].</summary>
    public static double LogNormal(this Random random, double median, double sigma, double min, double max) =>
        Math.Clamp(median * PortableMath.Exp(sigma * random.StandardNormal()), min, max);
}
