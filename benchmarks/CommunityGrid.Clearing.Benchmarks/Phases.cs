using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using CommunityGrid.Clearing.Mechanisms;
using CommunityGrid.Clearing.Model;
using CommunityGrid.Clearing.Settlement;
using CommunityGrid.Clearing.Sorting;

namespace CommunityGrid.Clearing.Benchmarks;

/// <summary>--phases: where the engine's time goes (validation, sorted book, match, settlement), medians.</summary>
internal static class Phases
{
    public static void Print(ClearingInput input, int runs)
    {
        var names = new[] { "validate", "book (sort)", "match", "settle" };
        var times = new List<double>[names.Length];
        for (var p = 0; p < names.Length; p++)
        {
            times[p] = [];
        }

        for (var run = 0; run < runs + 1; run++)
        {
            GC.Collect();
            var watch = new CpuWatch();
            if (input.Houses.Count <= ClearingLimits.MaxHouses)
            {
                InputValidator.Validate(input);
            }

            var validate = watch.Elapsed.TotalMilliseconds;
            var book = HouseBook.From(input.Houses);
            var sorted = watch.Elapsed.TotalMilliseconds;
            var match = input.Mechanism == ClearingMechanism.DoubleAuction
                ? DoubleAuction.Match(book, input.RetailPrice, input.FeedInPrice)
                : PoolMechanism.Match(input.Mechanism, book, input.RetailPrice, input.FeedInPrice);
            var matched = watch.Elapsed.TotalMilliseconds;
            Settler.Settle(input, book, match);
            var settled = watch.Elapsed.TotalMilliseconds;
            if (run > 0)
            {
                times[0].Add(validate);
                times[1].Add(sorted - validate);
                times[2].Add(matched - sorted);
                times[3].Add(settled - matched);
            }
        }

        var line = $"  {input.Houses.Count} houses, {MechanismNames.NameOf(input.Mechanism)}:";
        for (var p = 0; p < names.Length; p++)
        {
            times[p].Sort();
            line += string.Create(CultureInfo.InvariantCulture, $"  {names[p]} {times[p][times[p].Count / 2]:F2} ms");
        }

        Console.WriteLine(line);
    }
}
