using System;
using System.Linq;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Display;

public class RecentIntervalsTests
{
    [Fact]
    public void An_empty_store_knows_no_interval()
    {
        var recent = new RecentIntervals(new MemoryFileStore());
        recent.Load();
        Assert.Equal(0, recent.Count);
        Assert.Equal(-1, recent.IntervalOf(1));
    }

    [Fact]
    public void The_list_survives_a_restart()
    {
        var store = new MemoryFileStore();
        var recent = new RecentIntervals(store);
        recent.Load();
        recent.Remember(1, 900);
        recent.Remember(2, 1_800);

        var rebooted = new RecentIntervals(store);
        rebooted.Load();
        Assert.Equal(2, rebooted.Count);
        Assert.Equal(900, rebooted.IntervalOf(1));
        Assert.Equal(1_800, rebooted.IntervalOf(2));
        Assert.Equal(-1, rebooted.IntervalOf(3));
        Assert.Null(rebooted.Problem);
    }

    [Fact]
    public void A_full_list_forgets_the_oldest()
    {
        var store = new MemoryFileStore();
        var recent = new RecentIntervals(store, "r", 3);
        recent.Load();
        for (long seq = 1; seq <= 5; seq++) recent.Remember(seq, seq * 900);
        Assert.Equal(3, recent.Count);
        Assert.Equal(-1, recent.IntervalOf(2));
        Assert.Equal(2_700, recent.IntervalOf(3));

        var smaller = new RecentIntervals(store, "r", 2);
        smaller.Load();
        Assert.Equal(-1, smaller.IntervalOf(3));
        Assert.Equal(4_500, smaller.IntervalOf(5));
    }

    [Fact]
    public void Remembering_a_sequence_again_replaces_its_interval()
    {
        var recent = new RecentIntervals(new MemoryFileStore());
        recent.Load();
        recent.Remember(4, 900);
        recent.Remember(4, 1_800);
        Assert.Equal(1, recent.Count);
        Assert.Equal(1_800, recent.IntervalOf(4));
    }

    [Fact]
    public void A_power_cut_at_any_unit_of_a_save_keeps_the_old_or_the_new_list()
    {
        var baseline = new MemoryFileStore();
        var setup = new RecentIntervals(baseline);
        setup.Load();
        for (long seq = 1; seq <= 20; seq++) setup.Remember(seq, seq * 900);

        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            var recent = new RecentIntervals(store);
            recent.Load();
            store.FailAfter(budget);
            bool cut = false;
            try
            {
                recent.Remember(21, 21 * 900);
            }
            catch (SimulatedPowerLossException)
            {
                cut = true;
            }
            store.PowerOn();

            var rebooted = new RecentIntervals(store);
            rebooted.Load();
            Assert.Equal(RecentIntervals.DefaultCapacity, rebooted.Count);
            long newest = rebooted.IntervalOf(21) >= 0 ? 21 : 20;
            if (!cut) Assert.Equal(21, newest);
            long[] kept = Enumerable.Range(0, 25).Select(i => (long)i).Where(s => rebooted.IntervalOf(s) >= 0).ToArray();
            Assert.Equal(Enumerable.Range((int)newest - 15, 16).Select(i => (long)i), kept);
            Assert.All(kept, s => Assert.Equal(s * 900, rebooted.IntervalOf(s)));
            if (!cut) break;
        }
    }

    [Fact]
    public void Both_slots_lost_starts_empty_and_says_why()
    {
        var store = new MemoryFileStore();
        var recent = new RecentIntervals(store);
        recent.Load();
        recent.Remember(1, 900);
        recent.Remember(2, 1_800);
        store.CorruptByte("recent.0", 5);
        store.CorruptByte("recent.1", 5);
        var rebooted = new RecentIntervals(store);
        rebooted.Load();
        Assert.Equal(0, rebooted.Count);
        Assert.NotNull(rebooted.Problem);
    }

    [Fact]
    public void Capacity_must_fit_one_slot()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentIntervals(new MemoryFileStore(), "r", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentIntervals(new MemoryFileStore(), "r", 65));
        _ = new RecentIntervals(new MemoryFileStore(), "r", 64);
    }
}
