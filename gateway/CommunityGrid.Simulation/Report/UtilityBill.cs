using System;
using System.Collections.Generic;

namespace CommunityGrid.Simulation.Report;

/// <summary>
/// What a house would pay with the grid alone, billed as a utility bills: the period's total import at the retail
/// tariff minus the period's total export at the feed-in tariff, each line computed exactly and rounded half up to
/// the minor unit once. (Rounding every 15-minute interval instead — up for import, down for export — would charge
/// the house up to a minor unit per interval more and inflate the community's savings.)
/// </summary>
public static class UtilityBill
{
    public static long For(long importWh, long exportWh, long retailPerKwh, long feedInPerKwh) =>
        Line(importWh, retailPerKwh) - Line(exportWh, feedInPerKwh);

    /// <summary>round-half-up(wh × price / 1000) for non-negative energy and price, in 128 bits so nothing overflows.</summary>
    public static long Line(long wh, long pricePerKwh)
    {
        if (wh < 0 || pricePerKwh < 0) throw new ArgumentOutOfRangeException(nameof(wh), "energy and price are not negative");
        return checked((long)(((Int128)wh * pricePerKwh + 500) / 1000));
    }
}

/// <summary>Counts who gained and who paid more among a group of houses.</summary>
public static class GroupOutcomes
{
    public static GroupOutcome Of(IEnumerable<long> savings)
    {
        int houses = 0, gained = 0, paidMore = 0;
        long total = 0, largestGain = 0, largestLoss = 0;
        foreach (long s in savings)
        {
            houses++;
            total += s;
            if (s > 0) gained++;
            if (s < 0) paidMore++;
            largestGain = Math.Max(largestGain, s);
            largestLoss = Math.Min(largestLoss, s);
        }
        return new GroupOutcome(houses, gained, paidMore, total, largestGain, largestLoss);
    }
}
