using CommunityGrid.Meter.Messaging;

namespace CommunityGrid.Meter.Core.Tests.Messaging;

public sealed class RejectionAdviceTests
{
    [Theory]
    [InlineData("FutureInterval: interval end 1782040500000 > block time 1782039700000 + 60000", "clock is ahead")]
    [InlineData("DecreasingRegister: import 0 < 12345", "--initial-import")]
    [InlineData("DecreasingRegister", "enrol with the registers the meter shows")]
    [InlineData("UnknownMeter: meter-0001", "cgrid meter enrol")]
    [InlineData("WrongIntervalLength: 60 != 900", "interval.seconds")]
    public void Known_codes_get_advice(string reason, string expected)
    {
        Assert.Contains(expected, RejectionAdvice.For(reason));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ReplayedSequence: 3 <= 5")]
    [InlineData("test: reading rejected on purpose")]
    public void Other_reasons_get_none(string? reason)
    {
        Assert.Null(RejectionAdvice.For(reason));
    }
}
