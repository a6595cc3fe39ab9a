using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Simulation.Profiles;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Report;

/// <summary>
/// Builds the report from a chain store alone (never from the simulator's own bookkeeping): settlements per
/// interval, PV meters' readings for production, balances and the fund from the tip state, and the enrolments
/// for the registers energy counts from. Times are shown in the site's local time.
/// </summary>
public static class ChainReportReader
{
    public static ReportData Read(ChainStore store, Site? site = null)
    {
        site ??= Site.Default;
        GenesisDocument genesis = store.Genesis;
        StateView view = store.State.View();
        ChainParameters p = view.Parameters;
        int length = p.IntervalSeconds;
        long first = genesis.GenesisTimeMs / 1000 / length * length;
        long next = view.NextInterval;

        Dictionary<string, MeterRecord> meters = view.WithPrefix("meter/").ToDictionary(e => e.Key["meter/".Length..], e => MeterRecord.Decode(e.Value), StringComparer.Ordinal);
        Dictionary<string, long> initialPv = InitialPvRegisters(store, meters.Count);
        var production = new Dictionary<long, long>();
        var houseProduction = new Dictionary<string, long>(StringComparer.Ordinal);
        long readings = 0;
        // One pass over the chain: a meter's readings are applied in rising sequence (ReadingRules), so chain order is
        // each meter's sequence order, and the sums below do not depend on the order of the meters.
        var previousPv = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (MeterReading r in ReadingsInChainOrder(store))
        {
            if (!meters.TryGetValue(r.MeterId, out MeterRecord? meter)) continue;
            readings++;
            if (meter.Role != MeterRole.Pv) continue;
            long previous = previousPv.TryGetValue(r.MeterId, out long last) ? last : initialPv.GetValueOrDefault(r.MeterId);
            production[r.IntervalStart] = production.GetValueOrDefault(r.IntervalStart) + (r.PvWh - previous);
            houseProduction[meter.HouseId] = houseProduction.GetValueOrDefault(meter.HouseId) + (r.PvWh - previous);
            previousPv[r.MeterId] = r.PvWh;
        }

        var houses = genesis.Members.Select(m => m.HouseId).Order(StringComparer.Ordinal).ToDictionary(id => id, id => new HouseTotals(), StringComparer.Ordinal);
        var rows = new List<IntervalRow>();
        var settlements = new List<SettlementResult>();
        long fund = 0;
        for (long start = first; start < next; start += length)
        {
            SettlementResult s = store.GetSettlement(start)?.Result
                ?? throw new InvalidOperationException($"the chain closed interval {start} but holds no settlement for it");
            settlements.Add(s);
            long imports = 0, exports = 0, paid = 0, received = 0;
            foreach (HouseSettlement h in s.Houses)
            {
                HouseTotals t = houses[h.HouseId];
                t.Import += h.ImportWh;
                t.Export += h.ExportWh;
                t.CommunityBill += h.Cost - h.Revenue;
                imports += h.ImportWh;
                exports += h.ExportWh;
                paid += h.Cost;
                received += h.Revenue;
            }
            fund += s.FundIncome;
            long produced = production.GetValueOrDefault(start);
            double? price = s.InternalPriceMicros is { } micros ? micros / 1_000_000.0 : null;
            rows.Add(new IntervalRow(start, produced, produced + imports - exports, imports, exports, s.GridImportWh, s.GridExportWh, s.InternalWh, price,
                paid, received, s.FundIncome, fund, OffsetMinutes(site, start)));
        }
        if (fund != view.Fund) throw new InvalidOperationException($"the settlements' fund income adds up to {fund}, the state's fund is {view.Fund}");

        var houseRows = houses.Select(pair =>
        {
            (string id, HouseTotals t) = pair;
            long pv = houseProduction.GetValueOrDefault(id);
            long gridAlone = UtilityBill.For(t.Import, t.Export, p.RetailPrice, p.FeedInPrice);
            return new HouseRow(id, meters.Values.Any(m => m.HouseId == id && m.Role == MeterRole.Pv), pv, t.Import, t.Export, pv + t.Import - t.Export,
                t.CommunityBill, gridAlone, gridAlone - t.CommunityBill, Position(view, id));
        }).ToList();

        long productionTotal = rows.Sum(r => r.ProductionWh), consumption = rows.Sum(r => r.ConsumptionWh);
        long gridImport = rows.Sum(r => r.GridImportWh), gridExport = rows.Sum(r => r.GridExportWh);
        var summary = new ReportSummary(productionTotal, consumption, gridImport, gridExport, rows.Sum(r => r.InternalWh),
            Percent(consumption - gridImport, consumption), Percent(productionTotal - gridExport, productionTotal),
            houseRows.Sum(h => h.CommunityBill), houseRows.Sum(h => h.GridAloneBill), houseRows.Sum(h => h.Savings),
            rows.Sum(r => r.FundIncome), view.Fund, readings, store.Height, rows.Count,
            GroupOutcomes.Of(houseRows.Where(h => h.HasPv).Select(h => h.Savings)), GroupOutcomes.Of(houseRows.Where(h => !h.HasPv).Select(h => h.Savings)));
        var community = new ReportCommunity(genesis.ChainId, genesis.Name, p.PricingMechanism, p.Currency, p.MinorUnitDigits, p.RetailPrice, p.FeedInPrice,
            p.FundSharePermille, houses.Count, houseRows.Count(h => h.HasPv), first, next, Hashes.Hex(store.State.TipHash), Hashes.Hex(store.State.StateRoot),
            TimeZoneLabel(rows));
        IReadOnlyList<MechanismOutcome> mechanisms = MechanismComparison.Compare(settlements, p, houseRows.ToDictionary(h => h.HouseId, StringComparer.Ordinal), SettlementCatalog.Default);
        return new ReportData(community, summary, rows, houseRows, DayTotals(rows), mechanisms) { Decisions = DecisionReader.Read(store) };
    }

    private static int OffsetMinutes(Site site, long unixSeconds) => LocalClock.OffsetMinutes(site, DateTime.UnixEpoch.AddSeconds(unixSeconds));

    private static string TimeZoneLabel(IReadOnlyList<IntervalRow> rows)
    {
        List<string> offsets = rows.Select(r => r.UtcOffsetMinutes).Distinct().Order().Select(Offset).ToList();
        return offsets.Count == 0 ? "UTC" : "UTC" + string.Join(" / ", offsets);
    }

    private static string Offset(int minutes) => (minutes < 0 ? "-" : "+") + TimeSpan.FromMinutes(Math.Abs(minutes)).ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Intervals grouped by the local date they start on.</summary>
    private static List<DayRow> DayTotals(IReadOnlyList<IntervalRow> rows) =>
        rows.GroupBy(r => ReportTime.Local(r).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .Select(day =>
            {
                long consumption = day.Sum(r => r.ConsumptionWh), gridImport = day.Sum(r => r.GridImportWh);
                return new DayRow(day.Key, day.Count(), day.Sum(r => r.ProductionWh), consumption, gridImport, day.Sum(r => r.GridExportWh),
                    day.Sum(r => r.InternalWh), Percent(consumption - gridImport, consumption), day.Sum(r => r.HousesPaid - r.HousesReceived), day.Sum(r => r.FundIncome));
            })
            .ToList();

    /// <summary>A member's balance; for a house that has left, what its exit record still holds open (docs/breakaway.md §3).</summary>
    private static long Position(Chain.State.StateView view, string houseId) =>
        view.Overlay.Get(Chain.State.StateKeys.Balance(houseId)) is not null ? view.Balance(houseId)
        : Chain.Breakaway.ExitStateView.Exit(view, houseId) is { Status: Chain.Breakaway.ExitStatus.Final } exit ? exit.Owed - Chain.Breakaway.ExitStateView.ExitSettled(view, houseId)
        : 0;

    /// <summary>
    /// Meters enrolled at genesis (a split genesis: their registers as the old chain left them), then the installer's
    /// enrolments, read from the blocks until every enrolled meter is found (they come first).
    /// </summary>
    private static Dictionary<string, long> InitialPvRegisters(ChainStore store, int meters)
    {
        var initial = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Chain.Genesis.GenesisMeter m in store.Genesis.Meters ?? []) initial[m.MeterId] = m.PvWh;
        for (long height = 1; height <= store.Height && initial.Count < meters; height++)
        {
            Block block = store.GetBlock(height)!.Block;
            foreach (byte[] bytes in block.Body.Transactions)
            {
                if (Transaction.Decode(bytes).Admin is EnrolMeterPayload enrol) initial[enrol.MeterId] = enrol.InitialPvWh;
            }
        }
        return initial;
    }

    /// <summary>
    /// Every reading the chain holds, block by block. Each block is read once (reading meter by meter through the
    /// readings index decoded every block once per meter). The signatures are not checked again: the store was opened
    /// with its headers verified, so every transaction is one the validators committed, after verifying it.
    /// </summary>
    private static IEnumerable<MeterReading> ReadingsInChainOrder(ChainStore store)
    {
        for (long height = 1; height <= store.Height; height++)
        {
            foreach (byte[] bytes in store.GetBlock(height)!.Block.Body.Transactions)
            {
                MeterReading? reading;
                try
                {
                    reading = ReadingCbor.Decode(CoseSign1Codec.Decode(bytes, ContentTypes.Reading).Payload);
                }
                catch (ProtocolFormatException)
                {
                    reading = null; // an admin transaction (another content type)
                }
                if (reading is not null) yield return reading;
            }
        }
    }

    private static double Percent(long part, long whole) => whole <= 0 ? 0 : Math.Round(100.0 * part / whole, 2);

    private sealed class HouseTotals
    {
        public long Import, Export, CommunityBill;
    }
}
