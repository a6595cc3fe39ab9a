using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Simulation.Pipeline;
using CommunityGrid.Simulation.Report;
using CommunityGrid.Simulation.Tests.Pipeline;

namespace CommunityGrid.Simulation.Tests.Report;

/// <summary>
/// The savings a household reads in the report, recomputed from houses.csv and the genesis tariffs the way a utility
/// bills: the period's import and export at the exact tariff, each rounded to the cent once.
/// </summary>
public sealed class SavingsFromCsvTests(TenHouseDay day) : IClassFixture<TenHouseDay>
{
    private sealed record CsvHouse(string Id, bool HasPv, long ImportWh, long ExportWh, long CommunityBill, long GridAloneBill, long Savings);

    [Fact]
    public void Every_houses_savings_and_the_total_are_the_utility_bill_at_exact_tariffs_minus_the_community_bill()
    {
        GenesisDocument genesis = GenesisFile.Load(Path.Combine(day.Options.OutputDirectory, SimulationOptions.GenesisFileName));
        List<CsvHouse> houses = ReadHouses();
        Assert.Equal(day.Report.Community.Houses, houses.Count);

        long total = 0;
        foreach (CsvHouse h in houses)
        {
            // decimal arithmetic, independent of the report's integer code: cents = Wh × (cents per kWh) / 1000.
            decimal import = Math.Round(h.ImportWh * (decimal)genesis.RetailPrice / 1000m, MidpointRounding.AwayFromZero);
            decimal export = Math.Round(h.ExportWh * (decimal)genesis.FeedInPrice / 1000m, MidpointRounding.AwayFromZero);
            long gridAlone = (long)(import - export);
            Assert.True(gridAlone == h.GridAloneBill, $"{h.Id}: grid alone {h.GridAloneBill} in the CSV, {gridAlone} at exact tariffs");
            Assert.True(gridAlone - h.CommunityBill == h.Savings, $"{h.Id}: savings {h.Savings} in the CSV, {gridAlone - h.CommunityBill} recomputed");
            total += gridAlone - h.CommunityBill;
        }

        ReportData json = ReportFiles.FromJson(File.ReadAllText(Path.Combine(day.Options.OutputDirectory, ReportFiles.Json)));
        Assert.Equal(total, json.Summary.TotalSavings);
        Assert.Equal(houses.Where(h => h.HasPv).Sum(h => h.Savings), json.Summary.Pv.Savings);
        Assert.Equal(houses.Count(h => h.HasPv && h.Savings < 0), json.Summary.Pv.PaidMore);
        Assert.Equal(houses.Count(h => !h.HasPv && h.Savings > 0), json.Summary.NonPv.Gained);
        string html = File.ReadAllText(Path.Combine(day.Options.OutputDirectory, ReportFiles.Html));
        string euros = (Math.Abs(total) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        Assert.Contains($"came out <b>{euros} EUR {(total >= 0 ? "better" : "worse")}</b>", html);
    }

    [Fact]
    public void Per_day_totals_add_up_to_the_period_and_days_are_local()
    {
        ReportData r = day.Report;
        Assert.Equal(r.Summary.ProductionWh, r.Days.Sum(d => d.ProductionWh));
        Assert.Equal(r.Summary.ConsumptionWh, r.Days.Sum(d => d.ConsumptionWh));
        Assert.Equal(r.Summary.GridImportWh, r.Days.Sum(d => d.GridImportWh));
        Assert.Equal(r.Summary.FundIncome, r.Days.Sum(d => d.FundIncome));
        Assert.Equal(r.Summary.CommunityBills, r.Days.Sum(d => d.HousesNet));
        // 1 June 00:00 UTC is 02:00 CEST: 22 hours fall on 1 June local time, 2 hours on 2 June.
        Assert.Equal(["2026-06-01", "2026-06-02"], r.Days.Select(d => d.Date));
        Assert.Equal([88, 8], r.Days.Select(d => d.Intervals));
        Assert.Equal("UTC+02:00", r.Community.TimeZone);
        string firstLine = File.ReadLines(Path.Combine(day.Options.OutputDirectory, ReportFiles.IntervalsCsv)).Skip(1).First();
        Assert.EndsWith(",2026-06-01T02:00+02:00", firstLine);
    }

    private List<CsvHouse> ReadHouses()
    {
        string[] lines = File.ReadAllLines(Path.Combine(day.Options.OutputDirectory, ReportFiles.HousesCsv));
        string[] header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"houses.csv has no column {name}");
        return lines.Skip(1).Select(line => line.Split(',')).Select(c => new CsvHouse(c[Column("house_id")], c[Column("has_pv")] == "true",
            long.Parse(c[Column("import_wh")], CultureInfo.InvariantCulture), long.Parse(c[Column("export_wh")], CultureInfo.InvariantCulture),
            long.Parse(c[Column("community_bill")], CultureInfo.InvariantCulture), long.Parse(c[Column("grid_alone_bill")], CultureInfo.InvariantCulture),
            long.Parse(c[Column("savings")], CultureInfo.InvariantCulture))).ToList();
    }
}
