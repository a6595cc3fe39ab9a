using System;
using System.Linq;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Tests.Properties;
using CommunityGrid.Clearing.Tests.Reference;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Differential;

/// <summary>
/// The production engine against the reference oracle (the engine before the issue-18 rewrite, in
/// Reference/): every field of every result must be identical — prices, per-house energy and money,
/// largest-remainder tie-breaks, community totals.
/// </summary>
public class EngineMatchesReference
{
    [Fact]
    public void Random_household_communities_settle_identically() =>
        CommunityGen.Input.Sample(AssertSameAsReference, iter: 20_000);

    [Fact]
    public void Communities_near_the_documented_limits_settle_identically() =>
        CommunityGen.NearLimits.Sample(AssertSameAsReference, iter: 5_000);

    [Fact]
    public void Extreme_tariffs_energies_ties_and_limits_settle_identically() =>
        ExtremeCommunityGen.Input(maxGroups: 30).Sample(AssertSameAsReference, iter: 20_000);

    [Fact]
    public void Communities_of_thousands_of_houses_settle_identically() =>
        ExtremeCommunityGen.Input(maxGroups: 1_500).Sample(AssertSameAsReference, iter: 60);

    [Fact]
    public void The_same_houses_in_any_order_settle_identically_to_the_reference() =>
        Gen.Select(ExtremeCommunityGen.Input(maxGroups: 40), Gen.Int).Sample((input, seed) =>
        {
            var shuffled = input.Houses.ToArray();
            new Random(seed).Shuffle(shuffled);
            AssertSameAsReference(input with { Houses = shuffled });
        }, iter: 2_000);

    [Theory]
    [InlineData(ClearingMechanism.SupplyDemandRatio)]
    [InlineData(ClearingMechanism.MidMarketRate)]
    [InlineData(ClearingMechanism.BillSharing)]
    [InlineData(ClearingMechanism.DoubleAuction)]
    public void The_largest_allowed_community_settles_identically(ClearingMechanism mechanism)
    {
        AssertSameAsReference(ExtremeCommunityGen.Large(mechanism, ClearingLimits.MaxHouses, seed: 18, maxEnergyWh: 5_000));
        AssertSameAsReference(ExtremeCommunityGen.Large(mechanism, ClearingLimits.MaxHouses, seed: 19, maxEnergyWh: ClearingLimits.MaxEnergyWh));
    }

    [Fact]
    public void Every_house_at_the_energy_and_price_limits_settles_identically()
    {
        // 10^5 houses × 10^10 Wh at 10^6 per kWh, with equal volumes (all remainders equal) and an SDR price
        // whose denominator is as large as the limits allow.
        foreach (var mechanism in ExtremeCommunityGen.Mechanisms)
        {
            var houses = Enumerable.Range(0, ClearingLimits.MaxHouses)
                .Select(i => i % 3 == 0
                    ? new HousePosition($"h{i:D6}", ClearingLimits.MaxEnergyWh, 0, ClearingLimits.MaxPrice)
                    : new HousePosition($"h{i:D6}", 0, ClearingLimits.MaxEnergyWh - (i % 2), ClearingLimits.MaxPrice))
                .ToList();
            AssertSameAsReference(new ClearingInput(mechanism, ClearingLimits.MaxPrice, ClearingLimits.MaxPrice - 1, 0, houses));
            AssertSameAsReference(new ClearingInput(mechanism, ClearingLimits.MaxPrice, 1, 1, houses));
        }
    }

    private static void AssertSameAsReference(ClearingInput input)
    {
        var expected = ReferenceClearingEngine.Clear(input);
        var actual = ClearingEngine.Clear(input);
        Assert.Equal(expected.Mechanism, actual.Mechanism);
        Assert.Equal(expected.InternalPrice, actual.InternalPrice);
        Assert.Equal(expected.AverageBuyPrice, actual.AverageBuyPrice);
        Assert.Equal(expected.AverageSellPrice, actual.AverageSellPrice);
        Assert.Equal(expected.Community, actual.Community);
        Assert.Equal(expected.Houses.Count, actual.Houses.Count);
        for (var k = 0; k < expected.Houses.Count; k++)
        {
            if (expected.Houses[k] != actual.Houses[k])
            {
                Assert.Fail($"house {k}: expected {expected.Houses[k]}, got {actual.Houses[k]}");
            }
        }

        Assert.Equal(ClearingProperties.Render(expected), ClearingProperties.Render(actual));
    }
}
