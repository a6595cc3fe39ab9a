using System;
using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Tests.Messaging;

public class ReconnectBackoffTests
{
    [Fact]
    public void Steps_double_from_the_first_delay_and_stop_at_the_cap()
    {
        int[] expected = { 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000 };
        for (int failures = 0; failures < expected.Length; failures++)
        {
            Assert.Equal(expected[failures], ReconnectBackoff.StepMs(2_000, 300_000, failures));
        }
        Assert.Equal(300_000, ReconnectBackoff.StepMs(2_000, 300_000, int.MaxValue));
        Assert.Equal(int.MaxValue, ReconnectBackoff.StepMs(1 << 30, int.MaxValue, 5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20261125)]
    public void Each_delay_lies_in_the_upper_half_of_its_step(int seed)
    {
        var backoff = new ReconnectBackoff(500, 4_000, new Random(seed));
        int[] steps = { 500, 1_000, 2_000, 4_000, 4_000, 4_000 };
        foreach (int step in steps)
        {
            Assert.InRange(backoff.NextDelayMs(), step / 2, step);
        }
        Assert.Equal(steps.Length, backoff.Failures);
        backoff.Reset();
        Assert.Equal(0, backoff.Failures);
        Assert.InRange(backoff.NextDelayMs(), 250, 500);
    }

    [Fact]
    public void The_jitter_spreads_over_the_whole_upper_half()
    {
        var random = new Random(7);
        int low = int.MaxValue, high = 0;
        for (int i = 0; i < 2_000; i++)
        {
            int delay = new ReconnectBackoff(1_000, 1_000, random).NextDelayMs();
            low = Math.Min(low, delay);
            high = Math.Max(high, delay);
        }
        Assert.InRange(low, 500, 510);
        Assert.InRange(high, 990, 1_000);
    }

    [Fact]
    public void A_polling_loop_waits_for_the_delay_after_a_failure_and_retries_at_once_after_a_success()
    {
        var backoff = new ReconnectBackoff(2_000, 300_000, new Random(3));
        Assert.True(backoff.IsDue(0));
        int delay = backoff.Failed(10_000);
        Assert.Equal(10_000 + delay, backoff.NextAttemptMs);
        Assert.False(backoff.IsDue(10_000 + delay - 1));
        Assert.True(backoff.IsDue(10_000 + delay));
        backoff.Reset();
        Assert.True(backoff.IsDue(0));
    }

    [Fact]
    public void Bad_bounds_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(1, 10, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(500, 499, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => new ReconnectBackoff(500, 1_000, null!));
    }
}
