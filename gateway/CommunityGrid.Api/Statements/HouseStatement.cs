using System;
using System.Collections.Generic;
using System.Globalization;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Statements;

/// <summary>
/// A house's statement for a period, built from the settlement results recorded on the chain: per interval, per
/// local day and in total. "Grid alone" is what the house would have paid the utility: import at the retail tariff
/// minus export at the feed-in tariff, each line computed exactly and rounded half up once (docs/api.md), so a day's
/// and the period's figure come from their summed energies, not from summing rounded interval figures.
/// </summary>
public static class HouseStatement
{
    public static StatementResponse Build(
        string houseId, long from, long to, int offsetMinutes, string currency, int minorUnitDigits, long retailPrice, long feedInPrice,
        IReadOnlyList<StoredSettlement> settlements, long height)
    {
        var intervals = new List<StatementIntervalJson>();
        var days = new List<StatementDayJson>();
        var total = new Sum();
        var day = new Sum();
        string? dayDate = null;
        int dayIntervals = 0;
        foreach (StoredSettlement s in settlements)
        {
            HouseSettlement? house = null;
            foreach (HouseSettlement h in s.Result.Houses)
            {
                if (h.HouseId == houseId) { house = h; break; }
            }
            if (house is null) continue;
            var one = new Sum();
            one.Add(house, s.Result.Mechanism);
            intervals.Add(new StatementIntervalJson(s.Result.IntervalStart, s.Height, s.Result.Mechanism, s.Result.InternalPriceMicros,
                one.Line(retailPrice, feedInPrice)));
            string date = LocalDate(s.Result.IntervalStart, offsetMinutes);
            if (dayDate is not null && date != dayDate)
            {
                days.Add(new StatementDayJson(dayDate, dayIntervals, day.Line(retailPrice, feedInPrice)));
                day = new Sum();
                dayIntervals = 0;
            }
            dayDate = date;
            dayIntervals++;
            day.Add(house, s.Result.Mechanism);
            total.Add(house, s.Result.Mechanism);
        }
        if (dayDate is not null) days.Add(new StatementDayJson(dayDate, dayIntervals, day.Line(retailPrice, feedInPrice)));
        return new StatementResponse(houseId, from, to, offsetMinutes, currency, minorUnitDigits, retailPrice, feedInPrice,
            intervals, days, total.Line(retailPrice, feedInPrice), height);
    }

    /// <summary>round-half-up(wh × price / 1000) for non-negative energy and price, in 128 bits so nothing overflows.</summary>
    public static long TariffLine(long wh, long pricePerKwh)
    {
        if (wh < 0 || pricePerKwh < 0) throw new ArgumentOutOfRangeException(nameof(wh), "energy and price are not negative");
        return checked((long)(((Int128)wh * pricePerKwh + 500) / 1000));
    }

    public static string LocalDate(long unixSeconds, int offsetMinutes) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToOffset(TimeSpan.FromMinutes(offsetMinutes)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class Sum
    {
        private long import, export, importInternal, exportInternal, importGrid, exportGrid, cost, revenue, net;

        /// <summary>
        /// Grid-only settlement bills import and export as the registers say; the clearing mechanisms trade the net
        /// position export − import (docs/clearing.md "Positions"), so what was not traded inside went to or came from the grid.
        /// </summary>
        public void Add(HouseSettlement h, string mechanism)
        {
            if (mechanism == Chain.Genesis.GenesisDocument.GridOnlyMechanism)
            {
                importGrid += h.ImportWh;
                exportGrid += h.ExportWh;
            }
            else
            {
                importGrid += Math.Max(0, h.ImportWh - h.ExportWh) - h.ImportInternalWh;
                exportGrid += Math.Max(0, h.ExportWh - h.ImportWh) - h.ExportInternalWh;
            }
            import += h.ImportWh;
            export += h.ExportWh;
            importInternal += h.ImportInternalWh;
            exportInternal += h.ExportInternalWh;
            cost += h.Cost;
            revenue += h.Revenue;
            net += h.Net;
        }

        public StatementLineJson Line(long retail, long feedIn)
        {
            long gridAlone = TariffLine(import, retail) - TariffLine(export, feedIn);
            // net is what the house received minus what it paid, so -net is what it paid here and gridAlone + net is what it saved.
            return new StatementLineJson(import, export, importInternal, exportInternal, importGrid, exportGrid,
                cost, revenue, net, gridAlone, gridAlone + net);
        }
    }
}
