using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;

namespace CommunityGrid.Chain.Tests.Intervals;

/// <summary>State entry <c>price</c> (docs/chain.md §3): what a light-client meter gets proved instead of signed display data.</summary>
public sealed class IntervalPriceTests
{
    [Fact]
    public void Genesis_holds_the_retail_price_for_no_interval()
    {
        using var c = new TestCommunity(retailPrice: 37, feedInPrice: 20);

        Assert.Equal(new IntervalPrice(0, 37), IntervalPrice.Read(c.State.View()));
        Assert.Equal(StateValues.EncodePair(0, 37), c.State.View().Overlay.Get("price"));
    }

    [Fact]
    public void A_closed_interval_with_an_internal_price_records_it_rounded_half_up_to_minor_units()
    {
        // The SDR check value of docs/clearing.md: internal price 2625/103 = 25.485… minor units per kWh → 25.
        using var c = new TestCommunity(fundSharePermille: 1000, retailPrice: 35, feedInPrice: 25, mechanism: "sdr").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 1400), c.ReadingTx("m2", 1, 0, 1000, 0), c.ReadingTx("m3", 1, 0, 500, 0));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        Assert.Equal(25_485_437, Assert.Single(close.Body.Settlements).InternalPriceMicros);
        Assert.Equal(new IntervalPrice(TestCommunity.IntervalStart(0), 25), IntervalPrice.Read(c.State.View()));
    }

    [Fact]
    public void A_price_of_exactly_one_half_rounds_up()
    {
        // MMR: (retail + feed-in) / 2 = (35 + 24) / 2 = 29.5 minor units per kWh.
        using var c = new TestCommunity(retailPrice: 35, feedInPrice: 24, mechanism: "mmr").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 700), c.ReadingTx("m2", 1, 0, 300, 0));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        Assert.Equal(29_500_000, Assert.Single(close.Body.Settlements).InternalPriceMicros);
        Assert.Equal(30, IntervalPrice.Read(c.State.View())!.MinorPerKwh);
    }

    [Fact]
    public void An_interval_without_an_internal_price_records_the_retail_price_and_its_own_start()
    {
        // Buyers only: the auction matches nothing and has no internal price (docs/clearing.md).
        using var c = new TestCommunity(retailPrice: 310, feedInPrice: 80, mechanism: "auction").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 200, 0), c.ReadingTx("m2", 1, 0, 300, 0));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        Assert.Null(Assert.Single(close.Body.Settlements).InternalPriceMicros);
        Assert.Equal(new IntervalPrice(TestCommunity.IntervalStart(0), 310), IntervalPrice.Read(c.State.View()));
    }

    [Fact]
    public void A_block_closing_several_intervals_records_the_latest()
    {
        using var c = new TestCommunity(fundSharePermille: 1000, retailPrice: 35, feedInPrice: 25, mechanism: "sdr").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 1400), c.ReadingTx("m2", 1, 0, 1000, 0), c.ReadingTx("m3", 1, 0, 500, 0));
        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(new IntervalPrice(TestCommunity.IntervalStart(0), 25), IntervalPrice.Read(c.State.View()));
        c.Produce(TestCommunity.EndOf(1), c.ReadingTx("m1", 2, 1, 0, 1500), c.ReadingTx("m2", 2, 1, 1600, 0));
        Block block = c.Produce(TestCommunity.CloseOf(2));

        // Interval 1 has trade (1500 Wh offered, 1600 Wh wanted), interval 2 none: two different SDR prices.
        Assert.Equal(2, block.Body.Settlements.Count);
        long p1 = IntervalPrice.RoundHalfUp(block.Body.Settlements[0].InternalPriceMicros!.Value);
        long p2 = IntervalPrice.RoundHalfUp(block.Body.Settlements[1].InternalPriceMicros!.Value);
        Assert.NotEqual(p1, p2);
        Assert.Equal(new IntervalPrice(TestCommunity.IntervalStart(2), p2), IntervalPrice.Read(c.State.View()));
    }

    [Fact]
    public void Grid_only_settlement_records_the_retail_price()
    {
        using var c = new TestCommunity(retailPrice: 280, mechanism: "grid-only").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 700), c.ReadingTx("m2", 1, 0, 300, 0));
        c.Produce(TestCommunity.CloseOf(0));

        Assert.Equal(new IntervalPrice(TestCommunity.IntervalStart(0), 280), IntervalPrice.Read(c.State.View()));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(499_999, 0)]
    [InlineData(500_000, 1)]
    [InlineData(25_485_437, 25)]
    [InlineData(-499_999, 0)]
    [InlineData(-500_000, 0)]
    [InlineData(-500_001, -1)]
    [InlineData(-1_500_000, -1)]
    [InlineData(-1_500_001, -2)]
    [InlineData(long.MaxValue, 9_223_372_036_855)]
    [InlineData(long.MinValue, -9_223_372_036_855)]
    public void Rounding_is_half_up_in_integers(long micros, long minor)
    {
        Assert.Equal(minor, IntervalPrice.RoundHalfUp(micros));
    }

    [Fact]
    public void The_entry_survives_its_encoding_and_is_one_state_entry()
    {
        using var c = new TestCommunity(mechanism: "mmr").WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 0, 700), c.ReadingTx("m2", 1, 0, 300, 0));
        c.Produce(TestCommunity.CloseOf(0));
        IntervalPrice price = IntervalPrice.Read(c.State.View())!;

        Assert.Equal(price, IntervalPrice.Decode(price.Encode()));
        Assert.Contains(c.State.View().Overlay.Entries(), e => e.Key == StateKeys.Price);
        Assert.Equal(1, c.State.View().Overlay.Entries().Count(e => e.Key.StartsWith("price", System.StringComparison.Ordinal)));
    }
}
