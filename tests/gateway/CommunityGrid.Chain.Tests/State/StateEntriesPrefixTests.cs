using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.State;

namespace CommunityGrid.Chain.Tests.State;

/// <summary>
/// <see cref="IStateReader.EntriesWithPrefix"/> (a key range, not a walk over the keys before it) against its
/// definition, <see cref="IStateReader.Entries"/> filtered by the prefix, on committed entries and on overlays two deep
/// that insert, update and delete, including keys at the range's edges.
/// </summary>
public sealed class StateEntriesPrefixTests
{
    private static readonly string[] Prefixes =
        ["", "a", "meter/", "meter/m1", "recent/", "validator/", "validatorz", "z", "\uffff", "a\uffff", "b/", "b0", "meter0"];

    private static List<string> Definition(IStateReader state, string prefix) =>
        state.Entries().Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Key + "=" + Convert.ToHexString(e.Value)).ToList();

    private static List<string> Ranged(IStateReader state, string prefix) =>
        state.EntriesWithPrefix(prefix).Select(e => e.Key + "=" + Convert.ToHexString(e.Value)).ToList();

    private static string RandomKey(Random random) => random.Next(8) switch
    {
        0 => "meter/m" + random.Next(30),
        1 => "meter0" + random.Next(3),
        2 => "recent/" + random.Next(50).ToString("D5"),
        3 => "validator/" + random.Next(4),
        4 => "validator0",
        5 => "a\uffff" + random.Next(3),
        6 => "b/" + random.Next(5),
        _ => "b0",
    };

    [Fact]
    public void Prefix_ranges_match_filtering_every_entry_through_overlays()
    {
        var random = new Random(18);
        var committed = new StateEntries();
        int checkedPrefixes = 0;
        for (int block = 0; block < 60; block++)
        {
            var overlay = new StateOverlay(committed);
            var scratch = new StateOverlay(overlay);
            for (int i = 0; i < 25; i++)
            {
                StateOverlay target = random.Next(2) == 0 ? overlay : scratch;
                string key = RandomKey(random);
                if (random.Next(4) == 0) target.Delete(key);
                else target.Set(key, [(byte)random.Next(256)]);
            }
            foreach (IStateReader state in new IStateReader[] { committed, overlay, scratch })
            {
                foreach (string prefix in Prefixes)
                {
                    Assert.Equal(Definition(state, prefix), Ranged(state, prefix));
                    checkedPrefixes++;
                }
            }
            committed.Apply(overlay.Changes());
        }
        Assert.True(committed.Count > 20, $"the walk should leave a sizeable state, not {committed.Count} entries");
        Assert.Equal(60 * 3 * Prefixes.Length, checkedPrefixes);
    }

    [Fact]
    public void The_key_just_past_the_range_and_the_prefix_itself_are_handled()
    {
        var state = new StateEntries();
        state.Apply([new StateChange("meter/", [1]), new StateChange("meter/x", [2]), new StateChange("meter0", [3]), new StateChange("meter.", [4])]);
        Assert.Equal(["meter/", "meter/x"], state.EntriesWithPrefix("meter/").Select(e => e.Key));
        Assert.Equal(["meter0"], new StateOverlay(state).EntriesWithPrefix("meter0").Select(e => e.Key));
        Assert.Empty(state.EntriesWithPrefix("meter/y"));
        Assert.Empty(new StateEntries().EntriesWithPrefix("meter/"));
    }
}
