using System;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.Peering.Tests.Transport;

public sealed class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(3, 800)]
    [InlineData(6, 5000)]
    [InlineData(1000, 5000)]
    public void The_delay_lies_between_half_and_all_of_the_capped_exponential(int failures, int ceilingMs)
    {
        var random = new Random(7);
        for (int draw = 0; draw < 200; draw++)
        {
            double ms = Backoff.Delay(failures, Base, Max, random).TotalMilliseconds;
            Assert.InRange(ms, ceilingMs / 2.0, ceilingMs);
        }
    }

    [Fact]
    public void Jitter_spreads_the_delays()
    {
        var random = new Random(11);
        double first = Backoff.Delay(4, Base, Max, random).TotalMilliseconds;
        bool differs = false;
        for (int draw = 0; draw < 20 && !differs; draw++)
        {
            differs = Backoff.Delay(4, Base, Max, random).TotalMilliseconds != first;
        }
        Assert.True(differs);
    }
}
