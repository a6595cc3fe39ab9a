using System.Globalization;
using System.Text;
using CommunityGrid.Api.Json;

namespace CommunityGrid.Api.Statements;

/// <summary>
/// A statement as CSV (RFC 4180, comma, CRLF) for a spreadsheet: one row per interval, then one per local day and a
/// total. Money in the currency's major unit with its minor digits ("12.34"), energy in Wh, prices per kWh.
/// </summary>
public static class StatementCsv
{
    public const string ContentType = "text/csv";

    public const string Header = "row,interval_start_unix,local_start,mechanism,internal_price_per_kwh,import_wh,export_wh,import_internal_wh,export_internal_wh,import_grid_wh,export_grid_wh,cost,revenue,net,grid_alone,saving";

    public static string Render(StatementResponse s)
    {
        var csv = new StringBuilder();
        csv.Append(Header).Append("\r\n");
        foreach (StatementIntervalJson i in s.Intervals)
        {
            string local = System.DateTimeOffset.FromUnixTimeSeconds(i.IntervalStart).ToOffset(System.TimeSpan.FromMinutes(s.OffsetMinutes))
                .ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture);
            string price = i.InternalPriceMicros is long micros ? Money(micros, s.MinorUnitDigits + 6) : "";
            Row(csv, "interval", i.IntervalStart.ToString(CultureInfo.InvariantCulture), local, i.Mechanism, price, i.Line, s.MinorUnitDigits);
        }
        foreach (StatementDayJson d in s.Days) Row(csv, "day", "", d.Date, "", "", d.Line, s.MinorUnitDigits);
        Row(csv, "total", "", "", "", "", s.Total, s.MinorUnitDigits);
        return csv.ToString();
    }

    /// <summary>An integer amount of 10^-digits units as a decimal string, exactly (no floating point).</summary>
    public static string Money(long amount, int digits)
    {
        string sign = amount < 0 ? "-" : "";
        string magnitude = (amount < 0 ? -(System.Int128)amount : amount).ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        return digits == 0 ? sign + magnitude : sign + magnitude[..^digits] + "." + magnitude[^digits..];
    }

    private static void Row(StringBuilder csv, string kind, string start, string local, string mechanism, string price, StatementLineJson l, int digits)
    {
        csv.Append(kind).Append(',').Append(start).Append(',').Append(local).Append(',').Append(mechanism).Append(',').Append(price);
        foreach (long wh in new[] { l.ImportWh, l.ExportWh, l.ImportInternalWh, l.ExportInternalWh, l.ImportGridWh, l.ExportGridWh })
        {
            csv.Append(',').Append(wh.ToString(CultureInfo.InvariantCulture));
        }
        foreach (long money in new[] { l.Cost, l.Revenue, l.Net, l.GridAlone, l.Saving }) csv.Append(',').Append(Money(money, digits));
        csv.Append("\r\n");
    }
}
