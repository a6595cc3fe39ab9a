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

    /// <summary>
    /// An overlay keeps its written keys in order from its first enumeration on (issue 18): writes of new keys, updates
    /// and deletes between enumerations, as a block's interval close makes between its prefix reads, show in the next one.
    /// </summary>
    [Fact]
    public void Writes_between_enumerations_of_one_overlay_show_in_the_next()
    {
        var random = new Random(181);
        var committed = new StateEntries();
        int enumerations = 0;
        for (int block = 0; block < 40; block++)
        {
            var overlay = new StateOverlay(committed);
            for (int i = 0; i < 40; i++)
            {
                string key = RandomKey(random);
                if (random.Next(4) == 0) overlay.Delete(key);
                else overlay.Set(key, [(byte)random.Next(256)]);
                if (random.Next(5) != 0) continue;
                string prefix = Prefixes[random.Next(Prefixes.Length)];
                Assert.Equal(Definition(overlay, prefix), Ranged(overlay, prefix));
                enumerations++;
            }
            Assert.Equal(OrderedMinimal(committed, overlay), overlay.Changes().Select(c => c.Key + "=" + (c.Value is null ? "-" : Convert.ToHexString(c.Value))).ToList());
            committed.Apply(overlay.Changes());
        }
        Assert.True(enumerations > 100, $"only {enumerations} enumerations between writes");
    }

    /// <summary>The change set by its definition: every key whose value differs from the committed one, in ordinal order.</summary>
    private static List<string> OrderedMinimal(StateEntries committed, StateOverlay overlay)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, byte[]> entry in committed.Entries()) keys.Add(entry.Key);
        foreach (KeyValuePair<string, byte[]> entry in overlay.Entries()) keys.Add(entry.Key);
        var changes = new List<string>();
        foreach (string key in keys)
        {
            byte[]? before = committed.Get(key), after = overlay.Get(key);
            if (before is null ? after is null : after is not null && before.AsSpan().SequenceEqual(after)) continue;
            changes.Add(key + "=" + (after is null ? "-" : Convert.ToHexString(after)));
        }
        return changes;
    }

    /// <summary>
    /// <see cref="StateOverlay.ChangesWithPrefix"/> (the validator-update scan at the end of every block, issue 18) against
    /// its definition, the whole change set filtered by the prefix, with writes that restore the committed value (not
    /// changes) and reads between writes; a change set of a prefix nobody wrote is empty.
    /// </summary>
    [Fact]
    public void Changes_under_a_prefix_are_the_change_set_filtered_by_it()
    {
        var random = new Random(182);
        var committed = new StateEntries();
        int nonEmpty = 0;
        for (int block = 0; block < 40; block++)
        {
            var overlay = new StateOverlay(committed);
            for (int i = 0; i < 40; i++)
            {
                string key = RandomKey(random);
                int choice = random.Next(6);
                if (choice == 0) overlay.Delete(key);
                else if (choice == 1 && committed.Get(key) is { } restored) overlay.Set(key, (byte[])restored.Clone());
                else overlay.Set(key, [(byte)random.Next(256)]);
                if (random.Next(4) != 0) continue;
                string prefix = Prefixes[random.Next(Prefixes.Length)];
                List<string> expected = Show(overlay.Changes().Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)));
                Assert.Equal(expected, Show(overlay.ChangesWithPrefix(prefix)));
                if (expected.Count > 0) nonEmpty++;
            }
            Assert.Empty(overlay.ChangesWithPrefix("validator-update/"));
            committed.Apply(overlay.Changes());
        }
        Assert.True(nonEmpty > 50, $"only {nonEmpty} non-empty change sets compared");
    }

    private static List<string> Show(IEnumerable<StateChange> changes) =>
        changes.Select(c => c.Key + "=" + (c.Value is null ? "-" : Convert.ToHexString(c.Value))).ToList();

    [Fact]
    public void The_key_just_past_the_range_and_the_prefix_itself_are_handled()
    {
        var state = new StateEntries();
        state.Apply([new StateChange("meter/", [1]), new StateChange("meter/x", [2]), new StateChange("meter0", [3]), new StateChange("meter.", [4])]);
        Assert.Equal(["meter/", "meter/x"], state.EntriesWithPrefix("meter/").Select(e => e.Key));
        Assert.Equal(["meter0"], new StateOverlay(state).EntriesWithPrefix("meter0").Select(e => e.Key));
        Assert.Empty(state.EntriesWithPrefix("meter/y"));
        Assert.Empty(new StateEntries().EntriesWithPrefix("meter/"));
        var overlay = new StateOverlay(new StateEntries());
        foreach (string key in new[] { "meter0", "meter/x", "meter.", "meter/" }) overlay.Set(key, [5]);
        Assert.Equal(["meter/", "meter/x"], overlay.EntriesWithPrefix("meter/").Select(e => e.Key));
        Assert.Equal(["meter/", "meter/x"], overlay.ChangesWithPrefix("meter/").Select(c => c.Key));
        Assert.Empty(overlay.ChangesWithPrefix("meter/y"));
    }
}
