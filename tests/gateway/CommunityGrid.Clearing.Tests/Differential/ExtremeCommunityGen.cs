using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Clearing.Model;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Differential;

/// <summary>
/// Communities at the edges of the arithmetic: tariffs at 0, 1 and MaxPrice, equal tariffs, zero feed-in;
/// energies at 0, 1 and MaxEnergyWh; groups of identical houses (equal remainders everywhere); auction limits
/// at, between and beyond the tariffs; ids with mixed case and non-ASCII characters (ordinal order).
/// </summary>
internal static class ExtremeCommunityGen
{
    private const long MaxPrice = ClearingLimits.MaxPrice;
    private const long MaxEnergy = ClearingLimits.MaxEnergyWh;

    private static readonly Gen<long> Price =
        Gen.OneOf(Gen.Const(0L), Gen.Const(1L), Gen.Const(MaxPrice - 1), Gen.Const(MaxPrice), Gen.Long[0, MaxPrice], Gen.Long[0, 400]);

    private static readonly Gen<long> Energy = Gen.OneOf(
        Gen.Const(0L), Gen.Const(1L), Gen.Const(MaxEnergy), Gen.Const(MaxEnergy - 1),
        Gen.Long[0, MaxEnergy], Gen.Long[0, 10], Gen.Long[0, 5_000]);

    /// <summary>Which limit a house states: none, λ_s, λ_b, their middle, 0, MaxPrice or any.</summary>
    private static readonly Gen<int> LimitKind = Gen.Int[0, 6];

    private static readonly Gen<string> IdPrefix =
        Gen.OneOf(Gen.Char['A', 'z'], Gen.Char['\u00e0', '\u00ff'], Gen.Char['\uff00', '\uffff']).Array[0, 3]
            .Select(chars => new string(chars));

    /// <summary>A group of 1–6 houses with one position, so their shares and remainders are equal.</summary>
    private static readonly Gen<(string Prefix, long Export, long Import, int Limit, int Copies)> Group =
        Gen.Select(IdPrefix, Energy, Energy, LimitKind, Gen.OneOf(Gen.Const(1), Gen.Int[1, 6]));

    private static readonly Gen<ClearingMechanism> Mechanism = Gen.Int[0, 3].Select(i => (ClearingMechanism)i);

    private static readonly Gen<int> FundShare = Gen.OneOf(Gen.Const(0), Gen.Const(1000), Gen.Const(1), Gen.Int[0, 1000]);

    public static Gen<ClearingInput> Input(int maxGroups) => Gen.Select(
            Mechanism, Price, Price, FundShare, Gen.Long[0, MaxPrice], Group.Array[0, maxGroups])
        .Select((mechanism, a, b, fundShare, anyLimit, groups) => Build(
            mechanism, Math.Max(a, b), Math.Min(a, b), fundShare, anyLimit, groups));

    private static ClearingInput Build(
        ClearingMechanism mechanism, long retail, long feedIn, int fundShare, long anyLimit,
        (string Prefix, long Export, long Import, int Limit, int Copies)[] groups)
    {
        var houses = new List<HousePosition>();
        foreach (var group in groups)
        {
            for (var copy = 0; copy < group.Copies; copy++)
            {
                long? limit = group.Limit switch
                {
                    0 => null,
                    1 => feedIn,
                    2 => retail,
                    3 => (feedIn + retail) / 2,
                    4 => 0,
                    5 => MaxPrice,
                    _ => anyLimit,
                };
                // The index suffix after '#' keeps ids unique; the random prefix scrambles their order.
                houses.Add(new HousePosition($"{group.Prefix}#{houses.Count}", group.Export, group.Import, limit));
            }
        }

        return new ClearingInput(mechanism, retail, feedIn, fundShare, houses);
    }

    /// <summary>A large community with household-sized positions (Wh per 15 minutes) and some auction limits.</summary>
    public static ClearingInput Large(ClearingMechanism mechanism, int houses, int seed, long maxEnergyWh)
    {
        var random = new Random(seed);
        var positions = new HousePosition[houses];
        for (var i = 0; i < houses; i++)
        {
            long? limit = random.Next(3) == 0 ? null : random.NextInt64(0, 400);
            positions[i] = new HousePosition(
                $"house-{random.Next(1000):D3}-{i}", random.NextInt64(0, maxEnergyWh + 1), random.NextInt64(0, maxEnergyWh + 1), limit);
        }

        return new ClearingInput(mechanism, 300, 80, random.Next(1001), positions);
    }

    public static IEnumerable<ClearingMechanism> Mechanisms => Enum.GetValues<ClearingMechanism>().AsEnumerable();
}
