using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Simulation.Report;

/// <summary>
/// Settles the chain's recorded energies again with every mechanism (grid-only, sdr, mmr, bs, auction), interval by
/// interval, with the chain's tariffs and fund share. In the simulator no house reacts to the price, so the energies
/// a run with another mechanism would record are these same ones (same seed, same weather, same meters): this is
/// the comparison a council can trust without re-simulating. The chain's own row settles every interval again with
/// the mechanism the chain recorded for it, so it must reproduce the recorded settlements exactly (the outcome says
/// whether it did). When a vote changed the mechanism during the period, that row is named after the history (e.g.
/// "sdr → mmr") and every mechanism also gets a row of its own for the whole period.
/// </summary>
public static class MechanismComparison
{
    public static IReadOnlyList<MechanismOutcome> Compare(
        IReadOnlyList<SettlementResult> recorded, ChainParameters parameters, IReadOnlyDictionary<string, HouseRow> houses, SettlementCatalog catalog)
    {
        List<string> history = [];
        foreach (SettlementResult record in recorded)
        {
            if (history.Count == 0 || history[^1] != record.Mechanism) history.Add(record.Mechanism);
        }
        if (history.Count == 0) history.Add(parameters.PricingMechanism);
        string own = string.Join(" → ", history);
        var names = new List<string> { own };
        names.AddRange(Settlement.SimulationCatalog.Mechanisms.Where(m => m != own));
        var outcomes = new List<MechanismOutcome>();
        foreach (string name in names)
        {
            bool isChains = name == own, reproduces = isChains;
            var bills = houses.Keys.ToDictionary(id => id, _ => 0L, StringComparer.Ordinal);
            long fund = 0, internalWh = 0, gridImport = 0, gridExport = 0;
            foreach (SettlementResult record in recorded)
            {
                // The chain's own row follows the mechanism in force in each interval; the others keep theirs throughout.
                string mechanism = isChains ? record.Mechanism : name;
                IIntervalSettlement settlement = catalog.Find(mechanism) ?? throw new InvalidOperationException($"no settlement for mechanism '{mechanism}'");
                var input = new SettlementInput(record.IntervalStart, record.IntervalSeconds, parameters with { PricingMechanism = mechanism },
                    record.Houses.Select(h => new HouseEnergy(h.HouseId, h.ImportWh, h.ExportWh)).ToList());
                SettlementResult again = settlement.Settle(input);
                if (isChains && reproduces && !again.Encode().AsSpan().SequenceEqual(record.Encode())) reproduces = false;
                foreach (HouseSettlement h in again.Houses) bills[h.HouseId] += h.Cost - h.Revenue;
                fund += again.FundIncome;
                internalWh += again.InternalWh;
                gridImport += again.GridImportWh;
                gridExport += again.GridExportWh;
            }
            var savings = houses.Values.Select(h => (h.HasPv, Savings: h.GridAloneBill - bills[h.HouseId])).ToList();
            outcomes.Add(new MechanismOutcome(name, isChains, reproduces, bills.Values.Sum(), savings.Sum(s => s.Savings),
                GroupOutcomes.Of(savings.Where(s => s.HasPv).Select(s => s.Savings)), GroupOutcomes.Of(savings.Where(s => !s.HasPv).Select(s => s.Savings)),
                fund, internalWh, gridImport, gridExport));
        }
        return outcomes;
    }
}
