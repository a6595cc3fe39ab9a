using System.IO;

namespace CommunityGrid.Cli.Tests.Clear;

/// <summary>Every kind of malformed request ends with exit code 2, nothing on stdout, and the field named on stderr.</summary>
public class ClearMalformedInputTests
{
    private const string Valid = ClearCommandTests.Deficit;

    [Theory]
    [InlineData("\"generationWh\": 200,", "\"generationWh\": -200,", "houses[0].generationWh")]
    [InlineData("\"consumptionWh\": 900", "\"consumptionWh\": -1", "houses[2].consumptionWh")]
    [InlineData("\"mechanism\": \"sdr\"", "\"mechanism\": \"vcg\"", "mechanism")]
    [InlineData("\"mechanism\": \"sdr\", ", "", "mechanism")]
    [InlineData("\"retailPrice\": 300, ", "", "retailPrice")]
    [InlineData("\"feedInPrice\": 80", "\"feedInPrice\": 301", "feedInPrice")]
    [InlineData("\"fundShare\": 1000", "\"fundShare\": 1001", "fundShare")]
    [InlineData("\"id\": \"h2\"", "\"id\": \"h1\"", "houses[2].id")]
    [InlineData("\"id\": \"h2\", ", "", "houses[2].id")]
    [InlineData("\"consumptionWh\": 900", "\"consumptionWh\": 900.5", "houses[2].consumptionWh")]
    [InlineData("\"consumptionWh\": 900", "\"consumptionWh\": \"900\"", "houses[2].consumptionWh")]
    [InlineData(", \"consumptionWh\": 900", "", "houses[2].consumptionWh")]
    [InlineData("\"limitPrice\": 250", "\"limitPrice\": -250", "houses[2].limitPrice")]
    [InlineData("\"limitPrice\": 250", "\"limitprice\": 250", "houses[2].limitprice")]
    [InlineData("\"retailPrice\": 300", "\"retailPrice\": 300, \"retailPrice\": 300", "retailPrice")]
    [InlineData("\"fundShare\": 1000, ", "\"fundShare\": 1000, \"rebate\": 1, ", "rebate")]
    public void Malformed_field_exits_2_and_names_it(string find, string replace, string field)
    {
        Assert.Contains(find, Valid);
        var run = CgridProcess.Run(Valid.Replace(find, replace), "clear");
        AssertMalformed(run, field);
    }

    [Fact]
    public void Missing_houses_is_named()
    {
        AssertMalformed(CgridProcess.Run("""{"mechanism": "sdr", "retailPrice": 300, "feedInPrice": 80}""", "clear"), "houses");
    }

    [Fact]
    public void Unknown_mechanism_option_is_named()
    {
        AssertMalformed(CgridProcess.Run(Valid, "clear", "--mechanism", "SDR"), "--mechanism");
    }

    [Fact]
    public void Text_that_is_not_json_is_refused()
    {
        AssertMalformed(CgridProcess.Run("{\"mechanism\": ", "clear"), "input");
        AssertMalformed(CgridProcess.Run("[1, 2]", "clear"), "input");
    }

    [Fact]
    public void Unreadable_input_file_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"cgrid-clear-missing-{System.Guid.NewGuid():N}.json");
        AssertMalformed(CgridProcess.Run(null, "clear", "--input", missing), "--input");
    }

    private static void AssertMalformed(CgridProcess.Result run, string field)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains($"cgrid clear: {field}:", run.Stderr);
    }
}
