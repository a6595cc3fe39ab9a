using System;
using System.Linq;
using System.Text;
using CommunityGrid.Clearing.Model;
using CsCheck;

namespace CommunityGrid.Clearing.Tests.Properties;

/// <summary>Thousands of random communities per invariant (all four mechanisms mixed).</summary>
public class ClearingProperties
{
    private const int Communities = 4000;

    [Fact]
    public void Energy_is_conserved() =>
        CommunityGen.Input.Sample(input => Invariants.Energy(input, ClearingEngine.Clear(input)), iter: Communities);

    [Fact]
    public void Money_is_conserved_to_the_minor_unit() =>
        CommunityGen.Input.Sample(input => Invariants.Money(input, ClearingEngine.Clear(input)), iter: Communities);

    [Fact]
    public void Internal_and_average_prices_stay_within_feed_in_and_retail() =>
        CommunityGen.Input.Sample(input => Invariants.PricesWithinTariffs(input, ClearingEngine.Clear(input)), iter: Communities);

    [Fact]
    public void No_house_is_worse_off_than_with_the_grid_alone() =>
        CommunityGen.Input.Sample(input => Invariants.NoWorseThanGrid(input, ClearingEngine.Clear(input)), iter: Communities);

    [Fact]
    public void Auction_trades_respect_limit_prices() =>
        CommunityGen.Input
            .Select(input => input with { Mechanism = ClearingMechanism.DoubleAuction })
            .Sample(input => Invariants.AuctionRespectsLimits(input, ClearingEngine.Clear(input)), iter: Communities);

    [Fact]
    public void All_invariants_hold_near_the_documented_limits() =>
        CommunityGen.NearLimits.Sample(input =>
        {
            var result = ClearingEngine.Clear(input);
            Invariants.Energy(input, result);
            Invariants.Money(input, result);
            Invariants.PricesWithinTariffs(input, result);
            Invariants.NoWorseThanGrid(input, result);
            Invariants.AuctionRespectsLimits(input, result);
        }, iter: 1000);

    [Fact]
    public void Same_houses_in_any_order_give_the_same_result() =>
        Gen.Select(CommunityGen.Input, Gen.Int).Sample((input, seed) =>
        {
            var shuffled = input.Houses.ToArray();
            new Random(seed).Shuffle(shuffled);
            Assert.Equal(Render(ClearingEngine.Clear(input)), Render(ClearingEngine.Clear(input with { Houses = shuffled })));
        }, iter: Communities);

    /// <summary>Every field of a result, as text, so two results compare by value.</summary>
    internal static string Render(ClearingResult result)
    {
        var text = new StringBuilder();
        text.Append($"{result.Mechanism} {result.InternalPrice} {result.AverageBuyPrice} {result.AverageSellPrice} {result.Community}\n");
        foreach (var house in result.Houses)
        {
            text.Append(house).Append('\n');
        }

        return text.ToString();
    }
}
