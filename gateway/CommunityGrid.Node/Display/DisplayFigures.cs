using System.Collections.Generic;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Display;

/// <summary>Every enrolled meter's display figures at the chain's tip. Call under the store lock, like every other read.</summary>
public static class DisplayFigures
{
    private static readonly string MeterKeyPrefix = StateKeys.Meter("");

    public static IReadOnlyList<MeterDisplay> Take(ChainStore store)
    {
        StateView view = store.State.View();
        ChainParameters parameters = view.Parameters;
        // interval/next is the earliest open interval, so the one before it closed last (none yet: no settlement row).
        SettlementResult? lastClosed = store.GetSettlement(view.NextInterval - parameters.IntervalSeconds)?.Result;
        long price = Price(lastClosed, parameters.RetailPrice);
        var displays = new List<MeterDisplay>();
        foreach (KeyValuePair<string, byte[]> entry in view.WithPrefix(MeterKeyPrefix))
        {
            MeterRecord meter = MeterRecord.Decode(entry.Value);
            displays.Add(new MeterDisplay(store.Genesis.ChainId, entry.Key[MeterKeyPrefix.Length..], price, view.Balance(meter.HouseId), store.Height));
        }
        return displays;
    }

    /// <summary>
    /// The last closed interval's internal price in whole minor units per kWh, rounded half up (the chain records it in
    /// millionths). When that interval had none (grid-only settlement, an auction that matched nothing) or no interval has
    /// closed yet, the retail price: every kWh a house bought then came from the grid at that price. The rule of state entry
    /// <c>price</c> (<see cref="IntervalPrice"/>), which a light-client meter gets proved instead (docs/protocol.md §7.6).
    /// </summary>
    public static long Price(SettlementResult? lastClosed, long retailPrice) =>
        lastClosed is null ? retailPrice : IntervalPrice.Of(lastClosed, retailPrice).MinorPerKwh;
}
