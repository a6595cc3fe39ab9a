using System.IO;
using System.Linq;
using System.Text.Json;

namespace CommunityGrid.Cli.Tests.Clear;

/// <summary><c>cgrid clear</c> run as a real process; the numbers are docs/clearing.md's worked examples.</summary>
public class ClearCommandTests
{
    internal const string Deficit = """
        {"mechanism": "sdr", "retailPrice": 300, "feedInPrice": 80, "fundShare": 1000, "houses": [
          {"id": "h3", "generationWh": 200, "consumptionWh": 500, "limitPrice": 90},
          {"id": "h1", "generationWh": 1200, "consumptionWh": 500, "limitPrice": 100},
          {"id": "h2", "generationWh": 0, "consumptionWh": 900, "limitPrice": 250}]}
        """;

    private const string Surplus = """
        {"mechanism": "sdr", "retailPrice": 300, "feedInPrice": 80, "fundShare": 500, "houses": [
          {"id": "h1", "generationWh": 2000, "consumptionWh": 500, "limitPrice": 120},
          {"id": "h2", "generationWh": 800, "consumptionWh": 300},
          {"id": "h3", "generationWh": 0, "consumptionWh": 1200, "limitPrice": 200}]}
        """;

    [Theory]
    // mechanism, buyPrice, sellPrice, h1 revenue, h2 cost, h3 cost, fund income
    [InlineData("sdr", 192, 115, 80, 173, 58, 1)]
    [InlineData("mmr", 236, 190, 133, 212, 71, 0)]
    [InlineData("bs", 125, 0, 0, 113, 37, 0)]
    [InlineData("auction", 227, 175, 122, 183, 90, 1)]
    public void Deficit_interval_per_mechanism(string mechanism, long buy, long sell, long h1Revenue, long h2Cost, long h3Cost, long fund)
    {
        var run = CgridProcess.Run(Deficit, "clear", "--mechanism", mechanism);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var output = JsonDocument.Parse(run.Stdout);
        var root = output.RootElement;
        Assert.Equal(mechanism, root.GetProperty("mechanism").GetString());
        Assert.Equal(buy, root.GetProperty("buyPrice").GetInt64());
        Assert.Equal(sell, root.GetProperty("sellPrice").GetInt64());
        Assert.Equal(h1Revenue, House(root, "h1").GetProperty("revenue").GetInt64());
        Assert.Equal(h2Cost, House(root, "h2").GetProperty("cost").GetInt64());
        Assert.Equal(h3Cost, House(root, "h3").GetProperty("cost").GetInt64());
        var community = root.GetProperty("community");
        Assert.Equal(500, community.GetProperty("importGridWh").GetInt64());
        Assert.Equal(150, community.GetProperty("gridCost").GetInt64());
        Assert.Equal(fund, community.GetProperty("fundIncome").GetInt64());
    }

    [Theory]
    // mechanism, buyPrice, sellPrice, h1 revenue, h2 revenue, h3 cost
    [InlineData("sdr", 80, 80, 96, 32, 96)]
    [InlineData("mmr", 190, 146, 195, 65, 228)]
    [InlineData("bs", 0, 32, 24, 8, 0)]
    [InlineData("auction", 160, 128, 144, 80, 192)]
    public void Surplus_interval_from_a_file(string mechanism, long buy, long sell, long h1Revenue, long h2Revenue, long h3Cost)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cgrid-clear-{mechanism}-{System.Guid.NewGuid():N}.json");
        File.WriteAllText(file, Surplus.Replace("\"sdr\"", $"\"{mechanism}\""));
        try
        {
            var run = CgridProcess.Run(null, "clear", "--input", file);
            Assert.True(run.ExitCode == 0, run.Stderr);
            using var output = JsonDocument.Parse(run.Stdout);
            var root = output.RootElement;
            Assert.Equal(buy, root.GetProperty("buyPrice").GetInt64());
            Assert.Equal(sell, root.GetProperty("sellPrice").GetInt64());
            Assert.Equal(h1Revenue, House(root, "h1").GetProperty("revenue").GetInt64());
            Assert.Equal(h2Revenue, House(root, "h2").GetProperty("revenue").GetInt64());
            Assert.Equal(h3Cost, House(root, "h3").GetProperty("cost").GetInt64());
            var community = root.GetProperty("community");
            Assert.Equal(800, community.GetProperty("exportGridWh").GetInt64());
            Assert.Equal(64, community.GetProperty("gridRevenue").GetInt64());
            Assert.Equal(32, community.GetProperty("fundIncome").GetInt64());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Output_has_every_field_sorted_by_id_and_balances()
    {
        var run = CgridProcess.Run(Deficit, "clear");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var output = JsonDocument.Parse(run.Stdout);
        var root = output.RootElement;
        var houses = root.GetProperty("houses").EnumerateArray().ToList();
        Assert.Equal(["h1", "h2", "h3"], houses.Select(h => h.GetProperty("id").GetString()));
        long paid = 0;
        long received = 0;
        foreach (var house in houses)
        {
            var cost = house.GetProperty("cost").GetInt64();
            var revenue = house.GetProperty("revenue").GetInt64();
            Assert.Equal(revenue - cost, house.GetProperty("net").GetInt64());
            foreach (var field in new[] { "importInternalWh", "exportInternalWh", "importGridWh", "exportGridWh" })
            {
                Assert.True(house.GetProperty(field).GetInt64() >= 0);
            }

            paid += cost;
            received += revenue;
        }

        var community = root.GetProperty("community");
        Assert.Equal(
            paid + community.GetProperty("gridRevenue").GetInt64(),
            received + community.GetProperty("gridCost").GetInt64() + community.GetProperty("fundIncome").GetInt64());
    }

    [Fact]
    public void Fund_share_defaults_to_all_export_proceeds()
    {
        var run = CgridProcess.Run(Surplus.Replace("\"fundShare\": 500, ", ""), "clear");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var output = JsonDocument.Parse(run.Stdout);
        Assert.Equal(64, output.RootElement.GetProperty("community").GetProperty("fundIncome").GetInt64());
    }

    [Fact]
    public void No_sellers_gives_a_null_sell_price()
    {
        var run = CgridProcess.Run(
            """{"mechanism": "mmr", "retailPrice": 300, "feedInPrice": 80, "houses": [{"id": "a", "generationWh": 0, "consumptionWh": 1000}]}""",
            "clear");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var output = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Null, output.RootElement.GetProperty("sellPrice").ValueKind);
        Assert.Equal(300, output.RootElement.GetProperty("buyPrice").GetInt64());
    }

    private static JsonElement House(JsonElement root, string id) =>
        root.GetProperty("houses").EnumerateArray().Single(h => h.GetProperty("id").GetString() == id);
}
