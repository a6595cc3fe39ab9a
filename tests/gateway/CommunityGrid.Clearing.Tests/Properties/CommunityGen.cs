using System.Linq;
using CommunityGrid.Clearing.Model;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Properties;

/// <summary>
/// Random communities. Energies mix tiny, household and large values so remainders, ties, exact
/// balances and empty sides all occur; tariffs include equal prices and a zero feed-in price.
/// </summary>
internal static class CommunityGen
{
    private static readonly Gen<long> Energy = Gen.OneOf(Gen.Long[0, 12], Gen.Long[0, 3_000], Gen.Long[0, 60_000]);

    private static readonly Gen<long?> LimitPrice =
        Gen.OneOf(Gen.Const((long?)null), Gen.Long[0, 1_200].Select(price => (long?)price));

    private static readonly Gen<string> IdPrefix = Gen.Char['a', 'z'].Array[0, 3].Select(chars => new string(chars));

    private static readonly Gen<(string Prefix, long Export, long Import, long? Limit)> House =
        Gen.Select(IdPrefix, Energy, Energy, LimitPrice);

    private static readonly Gen<ClearingMechanism> Mechanism = Gen.Int[0, 3].Select(i => (ClearingMechanism)i);

    private static readonly Gen<int> FundShare = Gen.OneOf(Gen.Const(0), Gen.Const(1000), Gen.Int[0, 1000]);

    public static readonly Gen<ClearingInput> Input = Gen.Select(
            Mechanism,
            Gen.Long[0, 400],
            Gen.OneOf(Gen.Const(0L), Gen.Long[0, 9], Gen.Long[0, 800]),
            FundShare,
            House.Array[0, 40])
        .Select((mechanism, feedIn, spread, fundShare, houses) => new ClearingInput(
            mechanism,
            feedIn + spread,
            feedIn,
            fundShare,
            // The index suffix after '-' keeps ids unique; the random prefix scrambles their order.
            houses.Select((h, i) => new HousePosition($"{h.Prefix}-{i}", h.Export, h.Import, h.Limit)).ToList()));

    /// <summary>Values up to the documented limits, to show nothing overflows near them.</summary>
    public static readonly Gen<ClearingInput> NearLimits = Gen.Select(
            Mechanism,
            Gen.Long[0, ClearingLimits.MaxPrice],
            Gen.Long[0, ClearingLimits.MaxPrice],
            FundShare,
            Gen.Select(Gen.Long[0, ClearingLimits.MaxEnergyWh], Gen.Long[0, ClearingLimits.MaxEnergyWh],
                Gen.OneOf(Gen.Const((long?)null), Gen.Long[0, ClearingLimits.MaxPrice].Select(p => (long?)p))).Array[0, 25])
        .Select((mechanism, a, b, fundShare, houses) => new ClearingInput(
            mechanism,
            System.Math.Max(a, b),
            System.Math.Min(a, b),
            fundShare,
            houses.Select((h, i) => new HousePosition($"h{i}", h.Item1, h.Item2, h.Item3)).ToList()));
}
