using System.Collections.Generic;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Statements;

/// <summary>
/// The community's totals per local day and for a period, from the recorded settlement results. Savings compare what
/// the houses paid (cost − revenue, summed) with what each would have paid with the grid alone; the grid-alone figure
/// is computed per house from its summed energies (as <see cref="HouseStatement"/>) and then added up.
/// </summary>
public static class CommunityTotals
{
    public static CommunityTotalsResponse Build(
        long from, long to, int offsetMinutes, string currency, int minorUnitDigits, long retail, long feedIn,
        IReadOnlyList<StoredSettlement> settlements, long height)
    {
        var days = new List<CommunityDayJson>();
        var total = new Sum();
        Sum? day = null;
        string? date = null;
        foreach (StoredSettlement s in settlements)
        {
            string d = HouseStatement.LocalDate(s.Result.IntervalStart, offsetMinutes);
            if (day is not null && d != date)
            {
                days.Add(new CommunityDayJson(date!, day.Line(retail, feedIn)));
                day = null;
            }
            day ??= new Sum();
            date = d;
            day.Add(s.Result);
            total.Add(s.Result);
        }
        if (day is not null) days.Add(new CommunityDayJson(date!, day.Line(retail, feedIn)));
        return new CommunityTotalsResponse(from, to, offsetMinutes, currency, minorUnitDigits, retail, feedIn, days, total.Line(retail, feedIn), height);
    }

    private sealed class Sum
    {
        private readonly SortedDictionary<string, (long Import, long Export)> houses = new(System.StringComparer.Ordinal);
        private int intervals;
        private long import, export, internalWh, gridImport, gridExport, gridCost, gridRevenue, fundIncome, paid;

        public void Add(SettlementResult r)
        {
            intervals++;
            foreach (HouseSettlement h in r.Houses)
            {
                import += h.ImportWh;
                export += h.ExportWh;
                paid += h.Cost - h.Revenue;
                houses.TryGetValue(h.HouseId, out var e);
                houses[h.HouseId] = (e.Import + h.ImportWh, e.Export + h.ExportWh);
            }
            internalWh += r.InternalWh;
            gridImport += r.GridImportWh;
            gridExport += r.GridExportWh;
            gridCost += r.GridCost;
            gridRevenue += r.GridRevenue;
            fundIncome += r.FundIncome;
        }

        public CommunityLineJson Line(long retail, long feedIn)
        {
            long gridAlone = 0;
            foreach ((long i, long e) in houses.Values) gridAlone += HouseStatement.TariffLine(i, retail) - HouseStatement.TariffLine(e, feedIn);
            return new CommunityLineJson(intervals, import, export, internalWh, gridImport, gridExport, gridCost, gridRevenue, fundIncome, paid,
                gridAlone, gridAlone - paid, Permille(internalWh, internalWh + gridImport), Permille(internalWh, internalWh + gridExport));
        }

        private static int? Permille(long part, long whole) => whole == 0 ? null : (int)(part * 1000 / whole);
    }
}
