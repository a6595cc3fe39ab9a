using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CommunityGrid.Simulation.Report;

/// <summary>Writes report.html, report.json and the CSV files (intervals, houses, days, mechanisms; money in minor units, energy in Wh) into the output directory.</summary>
public static class ReportFiles
{
    public const string Html = "report.html";
    public const string Json = "report.json";
    public const string IntervalsCsv = "intervals.csv";
    public const string HousesCsv = "houses.csv";
    public const string DaysCsv = "days.csv";
    public const string MechanismsCsv = "mechanisms.csv";

    public static IReadOnlyList<string> Write(ReportData data, string directory)
    {
        var written = new List<string>();
        void Save(string name, string content)
        {
            string path = Path.Combine(directory, name);
            File.WriteAllText(path, content, new UTF8Encoding(false));
            written.Add(path);
        }
        Save(Html, HtmlReport.Render(data));
        Save(Json, ToJson(data));
        Save(IntervalsCsv, IntervalCsv(data));
        Save(HousesCsv, HouseCsv(data));
        Save(DaysCsv, DayCsv(data));
        Save(MechanismsCsv, MechanismCsv(data));
        return written;
    }

    public static string ToJson(ReportData data) => JsonSerializer.Serialize(data, ReportJsonContext.Default.ReportData);

    public static ReportData FromJson(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Default.ReportData) ?? throw new InvalidDataException("report.json holds JSON null");

    private static string IntervalCsv(ReportData data)
    {
        var csv = new StringBuilder("interval_start_utc,production_wh,consumption_wh,house_import_wh,house_export_wh,grid_import_wh,grid_export_wh,internal_wh,internal_price,houses_paid,houses_received,fund_income,fund_balance,interval_start_local\n");
        foreach (IntervalRow r in data.Intervals)
        {
            Line(csv, DateTimeOffset.FromUnixTimeSeconds(r.Start).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                r.ProductionWh, r.ConsumptionWh, r.HouseImportWh, r.HouseExportWh, r.GridImportWh, r.GridExportWh, r.InternalWh,
                r.InternalPrice?.ToString("0.######", CultureInfo.InvariantCulture) ?? "", r.HousesPaid, r.HousesReceived, r.FundIncome, r.FundBalance, ReportTime.Iso(r));
        }
        return csv.ToString();
    }

    private static string HouseCsv(ReportData data)
    {
        var csv = new StringBuilder("house_id,has_pv,production_wh,import_wh,export_wh,consumption_wh,community_bill,grid_alone_bill,savings,balance\n");
        foreach (HouseRow h in data.Houses)
        {
            Line(csv, h.HouseId, h.HasPv ? "true" : "false", h.ProductionWh, h.ImportWh, h.ExportWh, h.ConsumptionWh, h.CommunityBill, h.GridAloneBill, h.Savings, h.Balance);
        }
        return csv.ToString();
    }

    private static string DayCsv(ReportData data)
    {
        var csv = new StringBuilder("local_date,intervals,production_wh,consumption_wh,grid_import_wh,grid_export_wh,internal_wh,self_sufficiency_percent,houses_net,fund_income\n");
        foreach (DayRow d in data.Days)
        {
            Line(csv, d.Date, d.Intervals, d.ProductionWh, d.ConsumptionWh, d.GridImportWh, d.GridExportWh, d.InternalWh,
                d.SelfSufficiencyPercent.ToString("0.##", CultureInfo.InvariantCulture), d.HousesNet, d.FundIncome);
        }
        return csv.ToString();
    }

    private static string MechanismCsv(ReportData data)
    {
        var csv = new StringBuilder("mechanism,is_chains,community_bills,savings,pv_houses,pv_better_off,pv_worse_off,pv_savings,non_pv_houses,non_pv_better_off,non_pv_worse_off,non_pv_savings,fund_income,internal_wh,grid_import_wh,grid_export_wh\n");
        foreach (MechanismOutcome m in data.Mechanisms)
        {
            Line(csv, m.Mechanism, m.IsChains ? "true" : "false", m.CommunityBills, m.Savings, m.Pv.Houses, m.Pv.Gained, m.Pv.PaidMore, m.Pv.Savings,
                m.NonPv.Houses, m.NonPv.Gained, m.NonPv.PaidMore, m.NonPv.Savings, m.FundIncome, m.InternalWh, m.GridImportWh, m.GridExportWh);
        }
        return csv.ToString();
    }

    private static void Line(StringBuilder csv, params object[] cells)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0) csv.Append(',');
            csv.Append(Convert.ToString(cells[i], CultureInfo.InvariantCulture));
        }
        csv.Append('\n');
    }
}
