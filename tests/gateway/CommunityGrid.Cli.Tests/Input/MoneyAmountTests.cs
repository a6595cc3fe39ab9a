using CommunityGrid.Cli.Input;

namespace CommunityGrid.Cli.Tests.Input;

public class MoneyAmountTests
{
    [Theory]
    [InlineData("25", 2, 2500)]
    [InlineData("25.00", 2, 2500)]
    [InlineData("25.5", 2, 2550)]
    [InlineData("0.01", 2, 1)]
    [InlineData("0.070", 2, 7)]
    [InlineData("007.10", 2, 710)]
    [InlineData("25", 0, 25)]
    [InlineData("25.000", 0, 25)]
    [InlineData("1.234", 3, 1234)]
    [InlineData("0.0001", 4, 1)]
    [InlineData("92233720368547758.07", 2, long.MaxValue)]
    public void Currency_units_become_minor_units_exactly(string text, int digits, long expected)
    {
        Assert.Equal(expected, MoneyAmount.ToMinorUnits(text, digits, "EUR", "--deposit", out string? problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("0.001", 2, "--deposit 0.001 has 3 decimal(s), but EUR amounts have 2 (0.01 EUR is the smallest); round it to 2 decimal(s)")]
    [InlineData("5.5", 0, "--deposit 5.5 has 1 decimal(s), but EUR amounts have 0 (1 EUR is the smallest); round it to 0 decimal(s)")]
    [InlineData("92233720368547758.08", 2, "--deposit 92233720368547758.08 EUR is too large for the chain")]
    [InlineData("100000000000000000000", 0, "--deposit 100000000000000000000 EUR is too large for the chain")]
    [InlineData("-1", 2, "--deposit -1: an amount cannot be negative")]
    [InlineData("-0.50", 2, "--deposit -0.50: an amount cannot be negative")]
    [InlineData("", 2, "--deposit '' is not an amount")]
    [InlineData(".5", 2, "--deposit '.5' is not an amount")]
    [InlineData("5.", 2, "--deposit '5.' is not an amount")]
    [InlineData("1,000", 2, "--deposit '1,000' is not an amount")]
    [InlineData("+5", 2, "--deposit '+5' is not an amount")]
    [InlineData(" 5", 2, "--deposit ' 5' is not an amount")]
    [InlineData("1e2", 2, "--deposit '1e2' is not an amount")]
    [InlineData("NaN", 2, "--deposit 'NaN' is not an amount")]
    [InlineData("٣", 2, "--deposit '٣' is not an amount")]
    public void Anything_else_is_refused_with_what_to_give(string text, int digits, string expected)
    {
        Assert.Null(MoneyAmount.ToMinorUnits(text, digits, "EUR", "--deposit", out string? problem));
        Assert.StartsWith(expected, problem);
    }

    [Theory]
    [InlineData(2500, 2, "25.00")]
    [InlineData(7, 2, "0.07")]
    [InlineData(25, 0, "25")]
    [InlineData(1, 4, "0.0001")]
    public void Minor_units_format_with_every_minor_digit(long minor, int digits, string expected) =>
        Assert.Equal(expected, MoneyAmount.Format(minor, digits));
}
