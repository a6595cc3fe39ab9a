using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using CommunityGrid.Api.Json;
using CommunityGrid.Api.Statements;
using CommunityGrid.Api.Tests.Support;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests;

/// <summary>GET /houses, /meters and /houses/{id}/statement over the busy test chain in SQLite on disk.</summary>
public sealed class HouseQueryTests(BusyGateway gateway) : IClassFixture<BusyGateway>
{
    private static readonly long From = TestCommunity.IntervalStart(0);
    private static readonly long To = TestCommunity.IntervalStart(BusyGateway.Intervals);

    [Fact]
    public void Houses_lists_every_member_with_its_key_balance_and_meters()
    {
        HousesResponse response = Http.Get(gateway.Server.Client, "/houses", ApiJsonContext.Default.HousesResponse);

        StateView view = gateway.Store.State.View();
        Assert.Equal(["h1", "h2", "h3"], response.Houses.Select(h => h.HouseId));
        foreach (HouseJson house in response.Houses) Assert.Equal(view.Balance(house.HouseId), house.Balance);
        Assert.Equal(["m1"], response.Houses[0].Meters);
        Assert.Equal(["m2", "pv1"], response.Houses[1].Meters);
        Assert.Equal(gateway.Store.Height, response.Height);
        Assert.Equal(("EUR", 2), (response.Currency, response.MinorUnitDigits));
    }

    [Fact]
    public void Meters_lists_every_enrolled_meter_with_its_last_reading_and_rejections_seen()
    {
        gateway.Backend.Metrics.RecordReadingRejected("m3", "ReplayedSequence");
        MetersResponse response = Http.Get(gateway.Server.Client, "/meters", ApiJsonContext.Default.MetersResponse);

        Assert.Equal(["m1", "m2", "m3", "pv1"], response.Meters.Select(m => m.MeterId));
        foreach (MeterJson m in response.Meters)
        {
            MeterRecord record = gateway.Store.State.View().Meter(m.MeterId)!;
            Assert.Equal((record.HouseId, record.LastSequence, record.LastIntervalStart), (m.HouseId, m.LastSequence, m.LastIntervalStart));
        }
        Assert.Equal("pv", response.Meters[3].Role);
        Assert.Equal("connection", response.Meters[0].Role);
        RejectedReadingsJson rejected = Assert.Single(response.Meters[2].Rejected);
        Assert.Equal(("ReplayedSequence", 1L), (rejected.Reason, rejected.Count));
        Assert.Empty(response.Meters[0].Rejected);
    }

    [Fact]
    public void A_statement_holds_the_houses_settled_intervals_its_days_and_totals_that_add_up()
    {
        StatementResponse s = Http.Get(gateway.Server.Client, $"/houses/h1/statement?from={From}&to={To}", ApiJsonContext.Default.StatementResponse);

        var expected = new List<(long Start, HouseSettlement House)>();
        foreach (StoredSettlement stored in gateway.Store.GetSettlements(From, To))
        {
            if (stored.Result.Houses.FirstOrDefault(h => h.HouseId == "h1") is { } h) expected.Add((stored.Result.IntervalStart, h));
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(e => e.Start), s.Intervals.Select(i => i.IntervalStart));
        Assert.Equal(expected.Select(e => (e.House.ImportWh, e.House.ExportWh, e.House.Cost, e.House.Revenue, e.House.Net)),
            s.Intervals.Select(i => (i.Line.ImportWh, i.Line.ExportWh, i.Line.Cost, i.Line.Revenue, i.Line.Net)));
        Assert.Equal(expected.Sum(e => e.House.Net), s.Total.Net);
        Assert.Equal(s.Days.Sum(d => d.Line.Cost), s.Total.Cost);
        Assert.Equal(s.Intervals.Count, s.Days.Sum(d => d.Intervals));

        // Grid alone at the exact tariffs (300 and 80 per kWh here), rounded half up once per line.
        long import = expected.Sum(e => e.House.ImportWh), export = expected.Sum(e => e.House.ExportWh);
        Assert.Equal((s.RetailPrice, s.FeedInPrice), (gateway.Store.State.View().Parameters.RetailPrice, gateway.Store.State.View().Parameters.FeedInPrice));
        long gridAlone = (import * s.RetailPrice + 500) / 1000 - (export * s.FeedInPrice + 500) / 1000;
        Assert.Equal(gridAlone, s.Total.GridAlone);
        Assert.Equal(gridAlone + s.Total.Net, s.Total.Saving);
        Assert.Equal(import - s.Total.ImportInternalWh, s.Total.ImportGridWh);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_statement_downloads_as_csv_with_a_row_per_interval_and_day_and_a_total()
    {
        using HttpResponseMessage response = await gateway.Server.Client.GetAsync($"/houses/h1/statement?from={From}&to={To}&format=csv&offsetMinutes=120");
        string csv = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        StatementResponse s = Http.Get(gateway.Server.Client, $"/houses/h1/statement?from={From}&to={To}&offsetMinutes=120", ApiJsonContext.Default.StatementResponse);

        string[] rows = csv.Split("\r\n", System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(StatementCsv.Header, rows[0]);
        Assert.Equal(s.Intervals.Count, rows.Count(r => r.StartsWith("interval,")));
        Assert.Equal(s.Days.Count, rows.Count(r => r.StartsWith("day,")));
        string[] total = rows[^1].Split(',');
        Assert.Equal("total", total[0]);
        Assert.Equal(StatementCsv.Money(s.Total.Net, 2), total[13]);
        Assert.Contains("+02:00", rows[1]);
    }

    [Theory]
    [InlineData(1234, "12.34")]
    [InlineData(-5, "-0.05")]
    [InlineData(0, "0.00")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    public void Money_in_the_csv_is_exact_decimal(long amount, string expected) => Assert.Equal(expected, StatementCsv.Money(amount, 2));

    [Theory]
    [InlineData("from=1&to=900", "multiples of 900")]
    [InlineData("from=1800000000&to=1800000000", "longer than 0")]
    [InlineData("from=0&to=1800000000", "31 days")]
    [InlineData("offsetMinutes=900", "'offsetMinutes'")]
    [InlineData("format=pdf", "json or csv")]
    [InlineData("from=-5", "'from'")]
    public void Bad_statement_queries_are_400s_that_say_what_to_do(string query, string expected)
    {
        ApiProblem problem = Http.GetProblem(gateway.Server.Client, "/houses/h1/statement?" + query, HttpStatusCode.BadRequest);
        Assert.Contains(expected, problem.Detail);
    }

    [Fact]
    public void A_statement_of_an_unknown_house_is_a_404()
    {
        Assert.Contains("GET /houses", Http.GetProblem(gateway.Server.Client, "/houses/h9/statement", HttpStatusCode.NotFound).Detail);
    }
}
