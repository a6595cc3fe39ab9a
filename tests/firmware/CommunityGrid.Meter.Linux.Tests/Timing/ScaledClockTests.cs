using System;
using CommunityGrid.Meter.Linux.Timing;

namespace CommunityGrid.Meter.Linux.Tests.Timing;

/// <summary>Virtual time never runs ahead of the wall clock (issue 15 case 8: a gateway rejects future intervals).</summary>
public sealed class ScaledClockTests
{
    [Fact]
    public void Virtual_time_runs_scaled_until_it_reaches_the_wall_clock_and_then_follows_it()
    {
        long elapsed = 0;
        long wall = 1_782_043_200_000; // 2026-06-21T12:00:00Z
        var clock = new ScaledClock(wall - 600_000, 60, () => elapsed, () => wall);

        Assert.Equal(wall - 600_000, clock.UnixMilliseconds);
        elapsed = 5_000; // 5 real seconds at 60x: 5 virtual minutes
        wall += 5_000;
        Assert.Equal(wall - 5_000 - 300_000, clock.UnixMilliseconds);
        Assert.False(clock.CaughtUp);

        elapsed = 20_000; // would be 20 virtual minutes, 5 past the wall clock
        wall += 15_000;
        Assert.Equal(wall, clock.UnixMilliseconds);
        Assert.True(clock.CaughtUp);
        elapsed = 21_000;
        wall += 1_000;
        Assert.Equal(wall, clock.UnixMilliseconds); // one real second later: one second later
    }

    [Fact]
    public void Scale_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledClock(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledClock(0, ScaledClock.MaxScale + 1));
    }
}
