using CommunityGrid.Meter.Configuration;

namespace CommunityGrid.Meter.Tests.Configuration;

public class ConfigFileTests
{
    private static readonly string[] Known = { "a.b", "c", "pass" };

    [Fact]
    public void BlankAndCommentLinesAreSkippedAndLinesKeepTheirNumbers()
    {
        ConfigFile file = ConfigFile.Parse("# heading\n\n  a.b = 1\n   # indented comment\nc=two words \n", Known);
        Assert.Equal(2, file.Count);
        Assert.Equal(("a.b", "1", 3), Tuple(file.GetEntry(0)));
        Assert.Equal(("c", "two words", 5), Tuple(file.GetEntry(1)));
    }

    [Fact]
    public void WindowsLineEndingsAndAByteOrderMarkAreAccepted()
    {
        ConfigFile file = ConfigFile.Parse("\uFEFFa.b = 1\r\nc = 2\r\n", Known);
        Assert.Equal("1", file.Text("a.b", ""));
        Assert.Equal("2", file.Text("c", ""));
    }

    [Fact]
    public void HashAfterTheStartAndFurtherEqualsSignsBelongToTheValue()
    {
        ConfigFile file = ConfigFile.Parse("pass = a#b=c\n", Known);
        Assert.Equal("a#b=c", file.Text("pass", ""));
    }

    [Fact]
    public void KeysAreCaseInsensitive()
    {
        Assert.Equal("1", ConfigFile.Parse("A.B = 1", Known).Text("a.b", ""));
    }

    [Fact]
    public void AnEmptyValueMeansTheDefault()
    {
        ConfigFile file = ConfigFile.Parse("a.b =\n", Known);
        Assert.False(file.IsSet("a.b"));
        Assert.Equal("fallback", file.Text("a.b", "fallback"));
        Assert.Equal(7, file.Number("a.b", 7, 0, 10, "0..10"));
    }

    [Theory]
    [InlineData("c = 1\njust words\n", 2, "", "line 2: no '='")]
    [InlineData("c = 1\n = 5\n", 2, "", "line 2: no key before '='")]
    [InlineData("a.c = 1\n", 1, "a.c", "line 1: unknown key 'a.c'; check its spelling against cgrid-meter.conf.example")]
    [InlineData("c = 1\n\nC = 2\n", 3, "c", "line 3: c is already set on line 1; keep one of the two lines")]
    public void FormatErrorsNameTheLineTheKeyAndTheRemedy(string text, int line, string key, string message)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigFile.Parse(text, Known));
        Assert.Equal(line, error.LineNumber);
        Assert.Equal(key, error.Key);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void ALineWithoutEqualsIsNotQuoted()
    {
        // It may be a password whose key was deleted; the error goes to the LCD.
        var error = Assert.Throws<ConfigException>(() => ConfigFile.Parse("hunter2-secret\n", Known));
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("900", 900L)]
    [InlineData("0x27", 0x27L)]
    [InlineData("0X3f", 0x3FL)]
    [InlineData("999999999999999", 999_999_999_999_999L)]
    public void WholeNumbersAreDecimalOrHex(string text, long expected)
    {
        Assert.True(WholeNumber.TryParse(text, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5")]
    [InlineData("1 000")]
    [InlineData("12a")]
    [InlineData("0xG1")]
    [InlineData("1000000000000000")]
    public void AnythingElseIsNotAWholeNumber(string text)
    {
        Assert.False(WholeNumber.TryParse(text, out _));
    }

    [Fact]
    public void ChoicesAndFlagsAreCaseInsensitiveAndListTheAlternatives()
    {
        ConfigFile file = ConfigFile.Parse("c = TRUE\na.b = maybe\n", Known);
        Assert.True(file.Flag("c", false));
        var error = Assert.Throws<ConfigException>(() => file.Flag("a.b", false));
        Assert.Equal("line 2, a.b: 'maybe' is not allowed; write false or true", error.Message);
        var three = Assert.Throws<ConfigException>(() => file.Choice("a.b", new[] { "x", "y", "z" }, 0));
        Assert.EndsWith("write x, y or z", three.Message);
    }

    private static (string, string, int) Tuple(ConfigEntry entry) => (entry.Key, entry.Value, entry.LineNumber);
}
