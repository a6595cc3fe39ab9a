using System.Globalization;
using System.Threading;
using CommunityGrid.Meter.Display;

namespace CommunityGrid.Meter.Tests.Display;

public class TextFormatTests
{
    [Theory]
    [InlineData(12345, 3, "12.345")]
    [InlineData(12000, 3, "12.000")]
    [InlineData(5, 3, "0.005")]
    [InlineData(0, 3, "0.000")]
    [InlineData(-5, 2, "-0.05")]
    [InlineData(-1234, 2, "-12.34")]
    [InlineData(0, 0, "0")]
    [InlineData(-7, 0, "-7")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    [InlineData(long.MinValue, 0, "-9223372036854775808")]
    [InlineData(long.MinValue, 18, "-9.223372036854775808")]
    [InlineData(1, 18, "0.000000000000000001")]
    public void FixedPointIsExact(long value, int decimals, string expected)
    {
        Assert.Equal(expected, TextFormat.Fixed(value, decimals));
    }

    [Fact]
    public void IgnoresTheCurrentCulture()
    {
        CultureInfo saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            // Swedish uses U+2212 as its minus sign and a comma as decimal separator.
            Thread.CurrentThread.CurrentCulture = new CultureInfo("sv-SE");
            Assert.Equal("-1234", TextFormat.Integer(-1234));
            Assert.Equal("-1.234", TextFormat.Fixed(-1234, 3));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void MatchesInvariantFormattingForManyValues()
    {
        var random = new System.Random(3);
        for (int i = 0; i < 2000; i++)
        {
            long value = random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            Assert.Equal(value.ToString(CultureInfo.InvariantCulture), TextFormat.Integer(value));
        }
    }

    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(86399, "23:59")]
    [InlineData(1709303700, "14:35")]
    [InlineData(-60, "23:59")]
    public void UtcClock(long time, string expected)
    {
        Assert.Equal(expected, TextFormat.UtcClock(time));
    }

    [Fact]
    public void FitCutsPadsAndReplacesNonAscii()
    {
        Assert.Equal("abc  ", TextFormat.Fit("abc", 5));
        Assert.Equal("abcde", TextFormat.Fit("abcdefg", 5));
        Assert.Equal("5 ?C ", TextFormat.Fit("5 \u00B0C", 5));
        Assert.Equal("a?b?c", TextFormat.Fit("a\\b~c", 5));
        Assert.Equal("?", TextFormat.Fit("\u20AC", 1));
    }

    [Fact]
    public void LabelValueRightAlignsAndTheValueWins()
    {
        Assert.Equal("PV        1234 W", TextFormat.LabelValue("PV", "1234 W", 16));
        Assert.Equal("Very lo 12.345 kWh", TextFormat.LabelValue("Very long label", "12.345 kWh", 18));
        Assert.Equal("12345678", TextFormat.LabelValue("x", "12345678", 8));
        Assert.Equal("########", TextFormat.LabelValue("x", "123456789", 8));
        Assert.Equal("label   ", TextFormat.LabelValue("label", "", 8));
    }

    [Theory]
    [InlineData("EUR", "EUR")]
    [InlineData("chf", "CHF")]
    [InlineData("\u20AC", "???")]
    [InlineData("EURO", "???")]
    [InlineData("E1R", "???")]
    [InlineData(null, "???")]
    public void CurrencyCodeIsThreeAsciiLetters(string? code, string expected)
    {
        Assert.Equal(expected, TextFormat.CurrencyCode(code));
    }
}
