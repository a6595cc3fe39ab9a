using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Tests.Intervals;

public sealed class IntervalCloseTests
{
    [Fact]
    public void Interval_closes_in_the_first_block_at_end_plus_grace_and_balances_follow()
    {
        using var c = new TestCommunity().WithMeters();
        c.Produce(TestCommunity.EndOf(0),
            c.ReadingTx("m1", 1, 0, 1234, 0), c.ReadingTx("m2", 1, 0, 0, 3000), c.ReadingTx("m3", 1, 0, 10, 7));

        Assert.Null(BlockProducer.Produce(c.State, [], TestCommunity.CloseOf(0) - 1, c.Validator).Block);
        Assert.True(BlockProducer.IntervalCloseDue(c.State, TestCommunity.CloseOf(0)));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        SettlementResult r = Assert.Single(close.Body.Settlements);
        Assert.Empty(close.Body.Transactions);
        Assert.Equal(TestCommunity.IntervalStart(0), r.IntervalStart);
        Assert.Equal(["h1", "h2", "h3"], r.Houses.Select(h => h.HouseId));
        Assert.Equal(-370, c.Balance("h1"));
        Assert.Equal(180, c.Balance("h2"));
        Assert.Equal(-3, c.Balance("h3"));
        Assert.Equal(60, c.State.View().Fund);
        Assert.Equal(r.GridRevenue - r.GridCost, c.Balance("h1") + c.Balance("h2") + c.Balance("h3") + c.State.View().Fund);
    }

    [Fact]
    public void A_meter_without_a_reading_contributes_nothing_and_its_next_reading_carries_the_energy()
    {
        using var c = new TestCommunity(fundSharePermille: 0).WithMeters();
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 100, 0));
        Block close0 = c.Produce(TestCommunity.CloseOf(0));
        // No reading for interval 1.
        Block close1 = c.Produce(TestCommunity.CloseOf(1));
        c.Produce(TestCommunity.EndOf(2), c.ReadingTx("m1", 2, 2, 400, 0));
        Block close2 = c.Produce(TestCommunity.CloseOf(2));

        Assert.Equal(100, Assert.Single(close0.Body.Settlements).Houses.Single().ImportWh);
        Assert.Empty(Assert.Single(close1.Body.Settlements).Houses);
        Assert.Equal(300, Assert.Single(close2.Body.Settlements).Houses.Single().ImportWh);
        Assert.Equal(-(30 + 90), c.Balance("h1"));
    }

    [Fact]
    public void A_reading_for_a_closed_interval_lands_in_the_earliest_open_interval()
    {
        using var c = new TestCommunity(fundSharePermille: 0).WithMeters();
        c.Produce(TestCommunity.CloseOf(0));
        c.Produce(TestCommunity.CloseOf(0) + 1, c.ReadingTx("m2", 1, 0, 0, 500));
        Block close1 = c.Produce(TestCommunity.CloseOf(1));

        HouseSettlement h2 = Assert.Single(Assert.Single(close1.Body.Settlements).Houses);
        Assert.Equal(("h2", 500L), (h2.HouseId, h2.ExportWh));
        Assert.Equal(40, c.Balance("h2"));
    }

    [Fact]
    public void Energy_counts_from_the_registers_recorded_at_enrolment()
    {
        using var c = new TestCommunity(fundSharePermille: 0);
        c.Produce(TestCommunity.At(1), c.EnrolTx("m1", "h1", MeterRole.ConnectionPoint, import: 5000, export: 200));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("m1", 1, 0, 5100, 250));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        HouseSettlement h1 = Assert.Single(Assert.Single(close.Body.Settlements).Houses);
        Assert.Equal((100L, 50L), (h1.ImportWh, h1.ExportWh));
    }

    [Fact]
    public void Pv_meters_are_tracked_but_do_not_settle()
    {
        using var c = new TestCommunity();
        c.Produce(TestCommunity.At(1), c.EnrolTx("pv1", "h1", MeterRole.Pv));
        c.Produce(TestCommunity.EndOf(0), c.ReadingTx("pv1", 1, 0, 0, 0, pv: 900));
        Block close = c.Produce(TestCommunity.CloseOf(0));

        Assert.Empty(Assert.Single(close.Body.Settlements).Houses);
        Assert.Equal(900, c.State.View().Meter("pv1")!.PvWh);
    }

    [Fact]
    public void Several_due_intervals_close_in_one_block_in_order()
    {
        using var c = new TestCommunity().WithMeters();
        Block block = c.Produce(TestCommunity.CloseOf(3));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => TestCommunity.IntervalStart(i)), block.Body.Settlements.Select(s => s.IntervalStart));
    }
}
