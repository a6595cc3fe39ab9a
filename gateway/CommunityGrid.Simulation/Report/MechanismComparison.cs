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
/// the comparison a council can trust without re-simulating. The chain's own mechanism must reproduce the recorded
/// settlements exactly; the outcome says whether it did.
/// </summary>
public static class MechanismComparison
{
    public static IReadOnlyList<MechanismOutcome> Compare(
        IReadOnlyList<SettlementResult> recorded, ChainParameters parameters, IReadOnlyDictionary<string, HouseRow> houses, SettlementCatalog catalog)
    {
        var names = new List<string> { parameters.PricingMechanism };
        names.AddRange(Settlement.SimulationCatalog.Mechanisms.Where(m => m != parameters.PricingMechanism));
        var outcomes = new List<MechanismOutcome>();
        foreach (string name in names)
        {
            IIntervalSettlement settlement = catalog.Find(name) ?? throw new InvalidOperationException($"no settlement for mechanism '{name}'");
            ChainParameters with = parameters with { PricingMechanism = name };
            bool isChains = name == parameters.PricingMechanism, reproduces = isChains;
            var bills = houses.Keys.ToDictionary(id => id, _ => 0L, StringComparer.Ordinal);
            long fund = 0, internalWh = 0, gridImport = 0, gridExport = 0;
            foreach (SettlementResult record in recorded)
            {
                var input = new SettlementInput(record.IntervalStart, record.IntervalSeconds, with,
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
