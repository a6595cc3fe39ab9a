using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CommunityGrid.Simulation.Report;

namespace CommunityGrid.Simulation.Tests.Report;

/// <summary>
/// report.json goes through a source-generated JSON context (a trimmed cgrid has no reflection-based JSON); it must
/// be written and read exactly as the reflection-based serializer with the former options did.
/// </summary>
public sealed class ReportJsonTests
{
    /// <summary>What <see cref="ReportFiles"/> used before the source-generated context.</summary>
    private static readonly JsonSerializerOptions ReflectionOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    [Fact]
    public void Writes_the_bytes_the_reflection_based_serializer_wrote()
    {
        foreach (ReportData report in new[] { Sample(), Sample() with { Gateways = null, Decisions = [] } })
        {
            string written = ReportFiles.ToJson(report);
            Assert.Equal(JsonSerializer.Serialize(report, ReflectionOptions), written);
            Assert.Equal(written, ReportFiles.ToJson(ReportFiles.FromJson(written)));
        }
    }

    [Fact]
    public void A_file_without_decisions_or_gateways_reads_as_none()
    {
        var json = JsonNode.Parse(ReportFiles.ToJson(Sample()))!.AsObject();
        Assert.True(json.Remove("decisions"));
        Assert.True(json.Remove("gateways"));

        ReportData read = ReportFiles.FromJson(json.ToJsonString());

        Assert.NotNull(read.Decisions);
        Assert.Empty(read.Decisions);
        Assert.Null(read.Gateways);
        Assert.Equal(Sample().Community, read.Community);
        Assert.Equal(ReportFiles.ToJson(Sample() with { Decisions = [], Gateways = null }), ReportFiles.ToJson(read));
    }

    private static ReportData Sample()
    {
        var community = new ReportCommunity("sim-community", "Sim Street", "sdr", "EUR", 2, 30, 8, 100, 3, 2,
            1_780_272_000, 1_780_358_400, new string('a', 64), new string('b', 64), "UTC+02:00");
        var pv = new GroupOutcome(2, 1, 1, 150, 300, -150);
        var nonPv = new GroupOutcome(1, 1, 0, 20, 20, 0);
        var summary = new ReportSummary(12_000, 10_000, 3_000, 5_000, 2_000, 70.0, 58.333333333333336, 900, 1_070, 170, 12, 40,
            288, 96, 96, pv, nonPv);
        IntervalRow[] intervals =
        [
            new(1_780_272_000, 0, 250, 250, 0, 250, 0, 0, null, 3, 0, 0, 28, 120),
            new(1_780_272_900, 900, 250, 0, 650, 0, 650, 250, 12.5, 1, 2, 1, 29, 120),
        ];
        HouseRow[] houses = [new("h1", true, 6_000, 1_000, 3_000, 4_000, -100, 50, 150, 100), new("h2", false, 0, 2_000, 0, 2_000, 600, 620, 20, -600)];
        DayRow[] days = [new("2026-06-01", 96, 12_000, 10_000, 3_000, 5_000, 2_000, 70.0, 900, 12)];
        MechanismOutcome[] mechanisms = [new("sdr", true, true, 900, 170, pv, nonPv, 12, 2_000, 3_000, 5_000)];
        DecisionRow[] decisions =
        [
            new(new string('c', 64), "h1", "Try mmr", "parameter", "pricingMechanism = mmr", 1_780_272_000_000, 1_780_276_000_000,
                "passed", 2, 1, 0, 3, 1_780_276_500, "from 10:15 UTC the intervals settle under mmr (55 intervals)", ["h2: no thanks"]),
            new(new string('d', 64), "h2", "Fund", "fund", "pay 10", 1_780_272_000_000, 1_780_276_000_000, "open", 0, 0, 0, 3, null, "", []),
        ];
        var gateways = new GatewaysReport(
            [new GatewayRow("g1", new string('e', 64), "127.0.0.1:7001", 1, 2, 50, 96, new string('f', 64), true, "valid"),
             new GatewayRow("g2", new string('1', 64), "127.0.0.1:7002", 3, 3, 46, 0, null, false, "no blocks")],
            [new RoundsRow(1, 90), new RoundsRow(2, 6)], Identical: false);
        return new ReportData(community, summary, intervals, houses, days, mechanisms) { Decisions = decisions, Gateways = gateways };
    }
}
