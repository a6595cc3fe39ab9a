using System.Linq;
using System.Security.Cryptography;
using CommunityGrid.Simulation.Profiles;

namespace CommunityGrid.Simulation.Tests.Profiles;

/// <summary>A short hash of a series' integers, to pin generated profiles without listing 384 numbers.</summary>
internal static class ProfileFingerprint
{
    public const string Expected = "6018622b4c01f6b2";

    public static string Of(HouseSeries s)
    {
        long[] all = [.. s.PvWh, .. s.LoadWh, .. s.ImportWh, .. s.ExportWh];
        byte[] bytes = all.SelectMany(System.BitConverter.GetBytes).ToArray();
        return System.Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }
}
