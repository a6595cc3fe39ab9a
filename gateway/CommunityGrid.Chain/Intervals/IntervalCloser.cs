using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// Closes every interval whose end plus the grace period is at or before the block time, earliest first:
/// settles its pending energy, applies the amounts to balances and the fund, deletes the pending entries and records
/// the interval's price (<see cref="IntervalPrice"/>).
/// </summary>
public static class IntervalCloser
{
    public static bool AnyDue(StateView state, long blockTimeMs) => IsDue(state.NextInterval, state.Parameters, blockTimeMs);

    public static List<SettlementResult> CloseDue(StateView state, long blockTimeMs, SettlementCatalog catalog)
    {
        var results = new List<SettlementResult>();
        while (true)
        {
            // Read per interval: a passed change applied at the previous boundary governs this interval (docs/governance.md §3).
            ChainParameters p = state.Parameters;
            long start = state.NextInterval;
            if (!IsDue(start, p, blockTimeMs)) return results;
            SettlementResult closed = Close(state, start, p, catalog);
            results.Add(closed);
            // The latest interval a block closes is the one its price entry names (docs/chain.md §3).
            IntervalPrice.Of(closed, p.RetailPrice).Write(state);
            state.SetNextInterval(start + p.IntervalSeconds);
            // Exits first: they become final under the parameters the closed interval settled with.
            ExitFinalization.FinalizeDue(state, start + p.IntervalSeconds);
            ProposalClosing.ApplyDue(state, start + p.IntervalSeconds, catalog);
        }
    }

    private static bool IsDue(long start, ChainParameters p, long blockTimeMs) =>
        (start + p.IntervalSeconds + p.GraceSeconds) * 1000L <= blockTimeMs;

    private static SettlementResult Close(StateView state, long start, ChainParameters p, SettlementCatalog catalog)
    {
        string prefix = StateKeys.PendingInterval(start);
        var houses = new List<HouseEnergy>();
        foreach (KeyValuePair<string, byte[]> entry in state.WithPrefix(prefix))
        {
            PendingEnergy energy = PendingEnergy.Decode(entry.Value);
            houses.Add(new HouseEnergy(entry.Key[prefix.Length..], energy.ImportWh, energy.ExportWh));
            state.Overlay.Delete(entry.Key);
        }
        IIntervalSettlement settlement = catalog.Find(p.PricingMechanism)
            ?? throw new InvalidOperationException($"no settlement for pricing mechanism '{p.PricingMechanism}' is registered");
        SettlementResult result = settlement.Settle(new SettlementInput(start, p.IntervalSeconds, p, houses));
        CheckConservation(result, houses);
        foreach (HouseSettlement h in result.Houses) state.SetBalance(h.HouseId, checked(state.Balance(h.HouseId) + h.Net));
        state.SetFund(checked(state.Fund + result.FundIncome));
        return result;
    }

    /// <summary>A settlement that does not balance to the minor unit is a bug; better to halt than to diverge quietly.</summary>
    private static void CheckConservation(SettlementResult r, List<HouseEnergy> input)
    {
        long cost = 0, revenue = 0;
        bool sameHouses = r.Houses.Count == input.Count;
        for (int i = 0; i < r.Houses.Count; i++)
        {
            HouseSettlement h = r.Houses[i];
            cost = checked(cost + h.Cost);
            revenue = checked(revenue + h.Revenue);
            sameHouses &= i < input.Count && h.HouseId == input[i].HouseId && h.Net == h.Revenue - h.Cost
                && h.ImportWh == input[i].ImportWh && h.ExportWh == input[i].ExportWh;
        }
        // What houses pay plus what the grid pays in equals what houses receive plus what the grid is paid plus the fund.
        if (!sameHouses || checked(cost + r.GridRevenue) != checked(revenue + r.GridCost + r.FundIncome))
        {
            throw new InvalidOperationException(
                $"settlement of interval {r.IntervalStart} by '{r.Mechanism}' does not conserve money or houses: houses pay {cost} + grid revenue {r.GridRevenue} vs houses receive {revenue} + grid cost {r.GridCost} + fund {r.FundIncome}");
        }
    }
}
