using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Energy;

/// <summary>The persisted start of the day behind the LCD's "Today" page.</summary>
public class TodayEnergyCheckpointTests
{
    private const long Midnight = 1_750_032_000; // 2025-06-16 00:00:00 UTC
    private const long Day = 86_400;

    [Fact]
    public void TodayCountsFromTheFirstUpdateOfTheDay()
    {
        var today = new TodayEnergy(new MemoryFileStore());
        today.Update(Midnight + 3600, 1000, 200, 50);
        Assert.Equal((0, 0, 0), Values(today));
        today.Update(Midnight + 7200, 1300, 260, 90);
        Assert.Equal((300, 60, 40), Values(today));
        Assert.Equal(Midnight / Day, today.Day);
    }

    /// <summary>Issue 15 case 7: "today" began at 00:00 UTC, i.e. 02:00 in Berlin in summer.</summary>
    [Fact]
    public void TodayStartsAtLocalMidnightOfTheConfiguredZone()
    {
        var zone = CommunityGrid.Meter.Time.PosixTimeZone.Parse("CET-1CEST,M3.5.0,M10.5.0/3");
        var today = new TodayEnergy(new MemoryFileStore(), TodayEnergy.DefaultName, zone);
        long localMidnight = Midnight - 7200; // 2025-06-16 00:00 CEST = 2025-06-15 22:00 UTC
        today.Update(localMidnight - 60, 1000, 0, 0); // 23:59 on the 15th
        today.Update(localMidnight + 60, 1100, 0, 0); // 00:01 on the 16th: a new day
        Assert.Equal((0, 0, 0), Values(today));
        today.Update(Midnight + 60, 1200, 0, 0); // 00:01 UTC is 02:01 local: still the same day
        Assert.Equal((100, 0, 0), Values(today));
        Assert.Equal(Midnight / Day, today.Day);
    }

    [Fact]
    public void ADaylightSavingDayHas23HoursOfToday()
    {
        var zone = CommunityGrid.Meter.Time.PosixTimeZone.Parse("CET-1CEST,M3.5.0,M10.5.0/3");
        var today = new TodayEnergy(new MemoryFileStore(), TodayEnergy.DefaultName, zone);
        const long March29Utc = 1_774_742_400; // 2026-03-29 00:00 UTC; local midnight was 23:00 UTC the day before
        today.Update(March29Utc - 3600, 0, 0, 0); // 00:00 CET
        today.Update(March29Utc + 22 * 3600 - 60, 2300, 0, 0); // 23:59 CEST, 23 hours later
        Assert.Equal((2300, 0, 0), Values(today));
        today.Update(March29Utc + 22 * 3600, 2400, 0, 0); // 00:00 CEST on the 30th
        Assert.Equal((0, 0, 0), Values(today));
    }

    [Fact]
    public void ARebootLaterTheSameDayKeepsTheDaysStart()
    {
        var store = new MemoryFileStore();
        new TodayEnergy(store).Update(Midnight + 60, 1000, 200, 50);
        var afterReboot = new TodayEnergy(store);
        afterReboot.Update(Midnight + 43_200, 1500, 300, 450);
        Assert.Equal((500, 100, 400), Values(afterReboot));
    }

    [Fact]
    public void ANewUtcDayStartsFromZero()
    {
        var store = new MemoryFileStore();
        var today = new TodayEnergy(store);
        today.Update(Midnight + Day - 1, 1000, 0, 0);
        today.Update(Midnight + Day, 1100, 0, 0);
        Assert.Equal((0, 0, 0), Values(today));
        var afterReboot = new TodayEnergy(store);
        afterReboot.Update(Midnight + Day + 10, 1150, 0, 0);
        Assert.Equal((50, 0, 0), Values(afterReboot));
    }

    [Fact]
    public void ARegisterBelowTheStartStartsTheDayAgain()
    {
        var today = new TodayEnergy(new MemoryFileStore());
        today.Update(Midnight, 1000, 100, 100);
        today.Update(Midnight + 60, 10, 110, 100);
        Assert.Equal((0, 0, 0), Values(today));
        today.Update(Midnight + 120, 15, 111, 100);
        Assert.Equal((5, 1, 0), Values(today));
    }

    [Fact]
    public void APowerCutAtEveryByteOfTheDayStartNeverShowsMoreThanWasMeasured()
    {
        var before = new MemoryFileStore();
        new TodayEnergy(before).Update(Midnight + 60, 1000, 0, 0);
        for (long budget = 0; budget < 60; budget++)
        {
            MemoryFileStore store = before.Clone();
            store.FailAfter(budget);
            try
            {
                new TodayEnergy(store).Update(Midnight + Day + 60, 2000, 0, 0);
            }
            catch (SimulatedPowerLossException)
            {
            }
            store.PowerOn();
            var afterReboot = new TodayEnergy(store);
            afterReboot.Update(Midnight + Day + 120, 2010, 0, 0);
            // Either the new day's start survived (10 Wh since) or it starts again at the reboot (0).
            Assert.Contains(afterReboot.ImportWh, new long[] { 0, 10 });
        }
    }

    private static (long, long, long) Values(TodayEnergy today) => (today.ImportWh, today.ExportWh, today.PvWh);
}
