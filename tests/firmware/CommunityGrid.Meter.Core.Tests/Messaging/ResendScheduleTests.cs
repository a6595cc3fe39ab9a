using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Tests.Messaging;

public class ResendScheduleTests
{
    [Fact]
    public void A_reading_goes_at_once_then_again_only_after_the_resend_time()
    {
        var resend = new ResendSchedule();
        Assert.Equal(30_000, resend.ResendAfterMs);
        Assert.True(resend.ShouldSend(5, 1_000));
        resend.Sent(5, 1_000);
        Assert.False(resend.ShouldSend(5, 1_001));
        Assert.False(resend.ShouldSend(5, 30_999));
        Assert.True(resend.ShouldSend(5, 31_000));
        resend.Sent(5, 31_000);
        Assert.False(resend.ShouldSend(5, 60_999));
        Assert.True(resend.ShouldSend(5, 61_000));
    }

    [Fact]
    public void A_different_oldest_reading_goes_at_once()
    {
        var resend = new ResendSchedule(10_000);
        resend.Sent(5, 0);
        Assert.True(resend.ShouldSend(6, 1)); // 5 was released (e.g. dropped by a full queue)
    }

    [Fact]
    public void Acks_are_cumulative_and_end_the_wait()
    {
        var resend = new ResendSchedule(10_000);
        resend.Sent(5, 0);
        resend.Acknowledged(4);
        Assert.Equal(5, resend.InFlightSequence);
        Assert.False(resend.ShouldSend(5, 1));
        resend.Acknowledged(7);
        Assert.Equal(0, resend.InFlightSequence);
        Assert.True(resend.ShouldSend(8, 2));
    }

    [Fact]
    public void A_reconnect_sends_the_oldest_again_at_once()
    {
        var resend = new ResendSchedule(10_000);
        resend.Sent(5, 0);
        resend.Reconnected();
        Assert.True(resend.ShouldSend(5, 1));
    }

    [Fact]
    public void A_clock_that_went_backwards_sends_rather_than_waits()
    {
        var resend = new ResendSchedule(10_000);
        resend.Sent(5, 50_000);
        Assert.True(resend.ShouldSend(5, 49_999));
    }

    [Fact]
    public void A_resend_time_must_be_positive()
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => new ResendSchedule(0));
    }
}
