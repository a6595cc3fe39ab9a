using System;
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
        // The committed entry a light-client meter gets proved (protocol.md §7.4 key 3, §7.6 key 9), so a meter shows the
        // same price whichever way it takes its figures. The store refuses files made before the entry existed.
        long price = (IntervalPrice.Read(view) ?? throw new InvalidOperationException("the committed state has no price entry (chain.md §3)")).MinorPerKwh;
        var displays = new List<MeterDisplay>();
        foreach (KeyValuePair<string, byte[]> entry in view.WithPrefix(MeterKeyPrefix))
        {
            MeterRecord meter = MeterRecord.Decode(entry.Value);
            displays.Add(new MeterDisplay(store.Genesis.ChainId, entry.Key[MeterKeyPrefix.Length..], price, view.Balance(meter.HouseId), store.Height));
        }
        return displays;
    }
}
