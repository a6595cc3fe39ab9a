using System;
using System.Collections.Generic;
using CommunityGrid.Clearing;
using CommunityGrid.Clearing.Arithmetic;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// Settles an interval with the clearing engine (docs/clearing.md): houses trade with each other first at the
/// mechanism's internal price, the grid covers the rest. The engine is a pure integer function, so every
/// gateway that replays the chain settles identically.
/// </summary>
public sealed class ClearingSettlement(ClearingMechanism mechanism) : IIntervalSettlement
{
    public string Mechanism { get; } = MechanismNames.NameOf(mechanism);

    public static IIntervalSettlement[] ForEveryMechanism() =>
        Array.ConvertAll(Enum.GetValues<ClearingMechanism>(), m => (IIntervalSettlement)new ClearingSettlement(m));

    public SettlementResult Settle(SettlementInput input)
    {
        var positions = new List<HousePosition>(input.Houses.Count);
        foreach (HouseEnergy house in input.Houses)
        {
            // Members' limit prices for the auction need a standing-order transaction (not yet on the chain);
            // until then every house is a price-taker, which docs/clearing.md defines.
            positions.Add(new HousePosition(house.HouseId, house.ExportWh, house.ImportWh));
        }
        var parameters = input.Parameters;
        ClearingResult cleared = ClearingEngine.Clear(
            new ClearingInput(mechanism, parameters.RetailPrice, parameters.FeedInPrice, parameters.FundSharePermille, positions));

        var energyById = new Dictionary<string, HouseEnergy>(StringComparer.Ordinal);
        foreach (HouseEnergy house in input.Houses) energyById.Add(house.HouseId, house);
        var houses = new List<HouseSettlement>(cleared.Houses.Count);
        foreach (Clearing.Model.HouseSettlement h in cleared.Houses)
        {
            HouseEnergy energy = energyById[h.Id];
            houses.Add(new HouseSettlement(h.Id, energy.ImportWh, energy.ExportWh, h.ImportInternalWh, h.ExportInternalWh, h.Cost, h.Revenue, h.Net));
        }
        CommunitySettlement community = cleared.Community;
        return new SettlementResult(input.IntervalStart, input.IntervalSeconds, Mechanism, houses,
            community.ImportGridWh, community.ExportGridWh, community.GridCost, community.GridRevenue, community.FundIncome,
            community.InternalWh, ToMicros(cleared.InternalPrice));
    }

    private static long? ToMicros(Ratio? price)
    {
        if (price is null) return null;
        Ratio p = price.Value;
        return (long)new Ratio(p.Numerator * 1_000_000, p.Denominator).RoundHalfUp();
    }
}
