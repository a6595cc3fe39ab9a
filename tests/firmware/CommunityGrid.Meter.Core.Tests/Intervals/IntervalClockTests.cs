using System;
using CommunityGrid.Meter.Intervals;

namespace CommunityGrid.Meter.Tests.Intervals;

public class IntervalClockTests
{
    // 2024-03-01T00:00:00Z
    private const long Midnight = 1709251200;

    [Theory]
    [InlineData(Midnight, 900, Midnight)]
    [InlineData(Midnight + 1, 900, Midnight)]
    [InlineData(Midnight + 899, 900, Midnight)]
    [InlineData(Midnight + 900, 900, Midnight + 900)]
    [InlineData(Midnight - 1, 900, Midnight - 900)]
    [InlineData(Midnight + 86399, 86400, Midnight)]
    [InlineData(Midnight + 59, 60, Midnight)]
    [InlineData(0, 900, 0)]
    [InlineData(-1, 900, -900)]
    [InlineData(-900, 900, -900)]
    public void StartOfFloorsToTheUtcGrid(long time, int length, long expected)
    {
        Assert.Equal(expected, IntervalClock.StartOf(time, length));
    }

    [Fact]
    public void EveryValidLengthPutsABoundaryAtUtcMidnight()
    {
        for (int length = 1; length <= 86400; length++)
        {
            if (!IntervalClock.IsValidLength(length)) continue;
            Assert.True(IntervalClock.IsBoundary(Midnight, length));
            Assert.Equal(Midnight, IntervalClock.StartOf(Midnight + length - 1, length));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-900)]
    [InlineData(59)]
    [InlineData(700)]
    [InlineData(86401)]
    [InlineData(172800)]
    public void RejectsLengthsThatDoNotDivideTheDayOrAreTooShort(int length)
    {
        Assert.False(IntervalClock.IsValidLength(length));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => IntervalClock.StartOf(Midnight, length));
        Assert.Contains("divide 86400", e.Message);
    }

    [Fact]
    public void NextBoundaryIsStrictlyLater()
    {
        Assert.Equal(Midnight + 900, IntervalClock.NextBoundary(Midnight, 900));
        Assert.Equal(Midnight + 900, IntervalClock.NextBoundary(Midnight + 899, 900));
        Assert.False(IntervalClock.IsBoundary(Midnight + 1, 900));
    }

    [Fact]
    public void HandlesTimesFarInTheFuture()
    {
        long year2200 = 7258118400; // 2200-01-01T00:00:00Z
        Assert.Equal(year2200, IntervalClock.StartOf(year2200 + 450, 900));
    }
}
