using System;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Chain.Tests.Validation;

/// <summary>
/// Issue 11 case 1: one meter's reading must not be able to halt settlement for everybody. A register may advance at
/// most the connection's rated power times the elapsed intervals (default 43,470 W: 10,868 Wh per 15 minutes).
/// </summary>
public sealed class ImplausibleEnergyTests : IDisposable
{
    /// <summary>⌊43,470 W × 900 s / 3600⌋ + 1 Wh of register rounding.</summary>
    private const long PerInterval = 10_867 + 1;

    private readonly TestCommunity c = new TestCommunity().WithMeters();

    public void Dispose() => c.Dispose();

    [Fact]
    public void Default_bound_is_a_three_phase_63_A_house_connection()
    {
        Assert.Equal(43_470, GenesisDocument.DefaultMaxConnectionPowerW);
        Assert.Equal(PerInterval, c.State.View().Parameters.MaxEnergyWh(1));
        Assert.Equal(4 * 43_470 * 900 / 3600 + 1, c.State.View().Parameters.MaxEnergyWh(4));
    }

    /// <summary>
    /// The reported halt: a jump of more than 10^10 Wh was accepted, and every later interval close threw
    /// ClearingInputException (houses[0].importWh must be between 0 and 10000000000).
    /// </summary>
    [Fact]
    public void A_hostile_reading_is_refused_and_the_chain_keeps_settling_everybody_else()
    {
        using var c = new TestCommunity(mechanism: "sdr").WithMeters();
        byte[] hostile = c.ReadingTx("m1", 1, 0, 10_000_000_001, 0);
        byte[] good = c.ReadingTx("m2", 1, 0, 500, 0);

        Produced produced = BlockProducer.Produce(c.State, [hostile, good], TestCommunity.EndOf(0), c.Validator);
        Assert.Equal(RejectionReason.ImplausibleEnergy, produced.Outcomes[0].Outcome.Reason);
        Assert.Equal(TxStatus.Applied, produced.Outcomes[1].Outcome.Status);
        c.State.ApplyBlock(produced.Block!);

        c.Produce(TestCommunity.CloseOf(0));
        Assert.Equal(-150, c.Balance("h2")); // 500 Wh at 300 per kWh
        Assert.Equal(0, c.Balance("h1"));
        c.Produce(TestCommunity.EndOf(1), c.ReadingTx("m3", 1, 1, 100, 0));
        c.Produce(TestCommunity.CloseOf(1));
        Assert.Equal(-30, c.Balance("h3"));
    }

    [Fact]
    public void Two_meters_reporting_the_largest_register_are_refused()
    {
        Produced produced = BlockProducer.Produce(c.State,
            [c.ReadingTx("m1", 1, 0, long.MaxValue, 0), c.ReadingTx("m2", 1, 0, 0, long.MaxValue)], TestCommunity.EndOf(0), c.Validator);
        Assert.All(produced.Outcomes, o => Assert.Equal(RejectionReason.ImplausibleEnergy, o.Outcome.Reason));
        Assert.Null(produced.Block);
    }

    [Fact]
    public void Each_register_is_bounded_and_the_bound_itself_is_accepted()
    {
        Assert.Equal(RejectionReason.ImplausibleEnergy, c.Try(c.ReadingTx("m1", 1, 0, PerInterval + 1, 0), TestCommunity.EndOf(0)).Reason);
        Assert.Equal(RejectionReason.ImplausibleEnergy, c.Try(c.ReadingTx("m1", 1, 0, 0, PerInterval + 1), TestCommunity.EndOf(0)).Reason);
        Assert.Equal(RejectionReason.ImplausibleEnergy, c.Try(c.ReadingTx("m1", 1, 0, 0, 0, PerInterval + 1), TestCommunity.EndOf(0)).Reason);
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, PerInterval, PerInterval, PerInterval));
        c.Produce(TestCommunity.CloseOf(0));
    }

    [Fact]
    public void A_delta_carried_across_missed_intervals_may_be_as_large_as_the_time_it_covers()
    {
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 100, 0));
        // m1 misses intervals 1..4; its reading for interval 5 covers five intervals.
        long five = c.State.View().Parameters.MaxEnergyWh(5);
        Assert.Equal(RejectionReason.ImplausibleEnergy, c.Try(c.ReadingTx("m1", 2, 5, 100 + five + 1, 0), TestCommunity.EndOf(5)).Reason);
        c.Produce(TestCommunity.EndOf(5), c.ReadingTx("m1", 2, 5, 100 + five, 0));
        c.Produce(TestCommunity.CloseOf(5));
    }

    [Fact]
    public void A_first_reading_counts_from_the_interval_open_at_enrolment()
    {
        // Enrolled in interval 0; its first reading, for interval 3, covers intervals 0..3.
        long four = c.State.View().Parameters.MaxEnergyWh(4);
        Assert.Equal(RejectionReason.ImplausibleEnergy, c.Try(c.ReadingTx("m1", 1, 3, four + 1, 0), TestCommunity.EndOf(3)).Reason);
        Assert.Equal(TxStatus.Applied, c.Try(c.ReadingTx("m1", 1, 3, four, 0), TestCommunity.EndOf(3)).Status);
    }

    [Fact]
    public void Registers_near_the_int64_limit_settle_when_they_advance_plausibly()
    {
        using var community = new TestCommunity();
        long start = long.MaxValue - 2 * PerInterval, lower = long.MaxValue - 5 * PerInterval;
        community.Produce(TestCommunity.At(1), community.EnrolTx("m1", "h1", import: start), community.EnrolTx("m2", "h2", export: lower));
        community.Produce(TestCommunity.EndOf(0), community.ReadingTx("m1", 1, 0, start + PerInterval, 0), community.ReadingTx("m2", 1, 0, 0, lower + PerInterval));
        community.Produce(TestCommunity.CloseOf(0));
        community.Produce(TestCommunity.EndOf(1), community.ReadingTx("m1", 2, 1, long.MaxValue, 0));
        Assert.Equal(RejectionReason.ImplausibleEnergy, community.Try(community.ReadingTx("m2", 2, 1, 0, long.MaxValue), TestCommunity.EndOf(1) + 1).Reason);
        community.Produce(TestCommunity.CloseOf(1));
    }

    [Fact]
    public void A_pv_meter_is_bounded_too()
    {
        c.Produce(TestCommunity.At(2), c.EnrolTx("pv1", "h1", MeterRole.Pv));
        Assert.Equal(RejectionReason.ImplausibleEnergy, c.Try(c.ReadingTx("pv1", 1, 0, 0, 0, 5_000_000_000), TestCommunity.EndOf(0)).Reason);
    }

    /// <summary>
    /// Only at the parameters' extremes (10 MW, a meter silent for 42 days) could one house's interval exceed the
    /// clearing engine's 10^10 Wh; that reading is refused too, so settlement still takes every interval.
    /// </summary>
    [Fact]
    public void A_house_never_gets_more_energy_in_one_interval_than_settlement_takes()
    {
        using var big = new TestCommunity(maxConnectionPowerW: GenesisRules.MaxConnectionPowerW);
        big.WithMeters();
        const long late = 4001;
        Assert.True(big.State.View().Parameters.MaxEnergyWh(late + 1) > ClearingLimits.MaxEnergyWh);
        TxOutcome refused = big.Try(big.ReadingTx("m1", 1, late, ClearingLimits.MaxEnergyWh + 1, 0), TestCommunity.EndOf(late));
        Assert.Equal(RejectionReason.ImplausibleEnergy, refused.Reason);
        Assert.Contains("settlement takes at most", refused.Detail);
        big.Produce(TestCommunity.EndOf(late), big.ReadingTx("m1", 1, late, ClearingLimits.MaxEnergyWh, 0));
        big.Produce(TestCommunity.CloseOf(late));
        Assert.Equal(-GridOnlyCost(ClearingLimits.MaxEnergyWh), big.Balance("h1"));
    }

    private static long GridOnlyCost(long wh) => wh * 300 / 1000;

    [Fact]
    public void The_bound_is_a_genesis_parameter()
    {
        using var small = new TestCommunity(maxConnectionPowerW: 3_680); // single-phase 16 A: 920 Wh per 15 min
        small.WithMeters();
        Assert.Equal(RejectionReason.ImplausibleEnergy, small.Try(small.ReadingTx("m1", 1, 0, 922, 0), TestCommunity.EndOf(0)).Reason);
        Assert.Equal(TxStatus.Applied, small.Try(small.ReadingTx("m1", 1, 0, 921, 0), TestCommunity.EndOf(0)).Status);
    }
}
