using System;
using System.Collections.Generic;
using CommunityGrid.Clearing.Allocation;

namespace CommunityGrid.Chain.Intervals;

/// <summary>
/// Settlement without internal trading: every house buys its import from the grid at the retail price and sells
/// its export at the feed-in price, and the fund takes its share of the export proceeds (docs/chain.md).
/// Community totals are computed exactly and rounded down once (amount = floor(Wh × price / 1000)), then split
/// over houses by largest remainder, so the parts add up to the totals to the minor unit.
/// </summary>
public sealed class GridOnlySettlement : IIntervalSettlement
{
    public string Mechanism => "grid-only";

    public SettlementResult Settle(SettlementInput input)
    {
        IReadOnlyList<HouseEnergy> houses = input.Houses;
        var imports = new long[houses.Count];
        var exports = new long[houses.Count];
        long gridImport = 0, gridExport = 0;
        for (int i = 0; i < houses.Count; i++)
        {
            imports[i] = houses[i].ImportWh;
            exports[i] = houses[i].ExportWh;
            gridImport = checked(gridImport + imports[i]);
            gridExport = checked(gridExport + exports[i]);
        }
        long gridCost = MinorUnits(gridImport, input.Parameters.RetailPrice);
        long gridRevenue = MinorUnits(gridExport, input.Parameters.FeedInPrice);
        // Rounded down: a fraction of a minor unit stays with the exporting houses.
        long fundIncome = (long)((Int128)gridRevenue * input.Parameters.FundSharePermille / 1000);
        long[] costs = LargestRemainder.Split(gridCost, imports);
        long[] revenues = LargestRemainder.Split(gridRevenue - fundIncome, exports);

        var settled = new List<HouseSettlement>(houses.Count);
        for (int i = 0; i < houses.Count; i++)
        {
            settled.Add(new HouseSettlement(houses[i].HouseId, imports[i], exports[i], 0, 0, costs[i], revenues[i], revenues[i] - costs[i]));
        }
        return new SettlementResult(input.IntervalStart, input.IntervalSeconds, Mechanism, settled,
            gridImport, gridExport, gridCost, gridRevenue, fundIncome);
    }

    /// <summary>floor(wh × pricePerKwh / 1000), computed in 128 bits so no product overflows.</summary>
    public static long MinorUnits(long wh, long pricePerKwh) => checked((long)((Int128)wh * pricePerKwh / 1000));
}
