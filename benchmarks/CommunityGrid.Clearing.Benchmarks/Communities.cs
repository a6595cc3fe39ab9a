using System;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Clearing.Benchmarks;

/// <summary>The benchmark's community: household-sized 15-minute positions, ids in shuffled order.</summary>
internal static class Communities
{
    /// <summary>
    /// Houses "house-0000000" … in a shuffled order (an engine cannot profit from sorted input), export
    /// 0–2,000 Wh and import 0–2,200 Wh per interval, so the community is usually short and SDR takes its
    /// harmonic deficit price (the one with the large denominator). Two houses in three state an auction limit
    /// near the tariffs (λ_b = 300, λ_s = 80), so the auction has many price levels and ties.
    /// </summary>
    public static ClearingInput Household(ClearingMechanism mechanism, int houses, int seed)
    {
        var random = new Random(seed);
        var positions = new HousePosition[houses];
        for (var i = 0; i < houses; i++)
        {
            long? limit = random.Next(3) == 0 ? null : random.NextInt64(60, 321);
            positions[i] = new HousePosition(
                "house-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
                random.NextInt64(0, 2_001),
                random.NextInt64(0, 2_201),
                limit);
        }

        random.Shuffle(positions);
        return new ClearingInput(mechanism, 300, 80, 500, positions);
    }

    /// <summary>
    /// The arithmetic's worst case: positions up to MaxEnergyWh, λ_b = MaxPrice and λ_s = 1 (the SDR price's
    /// denominator reaches ~10^21, so every buyer's amount needs a full 128-bit division), fund share 1 ‰, limits
    /// anywhere in [0, MaxPrice]. Only up to the validated 100,000 houses: beyond, the totals leave a long.
    /// </summary>
    public static ClearingInput Extreme(ClearingMechanism mechanism, int houses, int seed)
    {
        var random = new Random(seed);
        var positions = new HousePosition[houses];
        for (var i = 0; i < houses; i++)
        {
            long? limit = random.Next(3) == 0 ? null : random.NextInt64(0, ClearingLimits.MaxPrice + 1);
            positions[i] = new HousePosition(
                "house-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
                random.NextInt64(0, ClearingLimits.MaxEnergyWh + 1),
                random.NextInt64(0, ClearingLimits.MaxEnergyWh + 1),
                limit);
        }

        random.Shuffle(positions);
        return new ClearingInput(mechanism, ClearingLimits.MaxPrice, 1, 1, positions);
    }
}
