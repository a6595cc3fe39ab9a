using System;
using System.Collections.Generic;

namespace CommunityGrid.Chain.State;

/// <summary>Read access to key-ordered state entries.</summary>
public interface IStateReader
{
    byte[]? Get(string key);

    /// <summary>All entries in ordinal key order.</summary>
    IEnumerable<KeyValuePair<string, byte[]>> Entries();

    /// <summary>
    /// The entries whose key starts with <paramref name="prefix"/>, in ordinal key order: the same as filtering
    /// <see cref="Entries"/>, at a cost that grows with the entries found, not with the entries before them.
    /// </summary>
    IEnumerable<KeyValuePair<string, byte[]>> EntriesWithPrefix(string prefix);
}

/// <summary>The committed state: entries in ordinal key order (never hash-map order, which is not deterministic).</summary>
public sealed class StateEntries : IStateReader
{
    // A sorted set ordered by key alone (not a SortedDictionary) because it can enumerate a key range without
    // walking the keys before it: every block reads several prefixes (validators/, gov/, …) of a state of many entries.
    private readonly SortedSet<KeyValuePair<string, byte[]>> entries = new(KeyOrder.Instance);

    // The same entries by key, for point reads only (never enumerated, so its order cannot leak into anything): a
    // hash lookup instead of a walk down the sorted set, several per transaction (issue 18).
    private readonly Dictionary<string, byte[]> byKey = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public byte[]? Get(string key) => byKey.TryGetValue(key, out byte[]? value) ? value : null;

    public IEnumerable<KeyValuePair<string, byte[]>> Entries() => entries;

    public IEnumerable<KeyValuePair<string, byte[]>> EntriesWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // Every key that starts with the prefix lies in [prefix, prefix with its last UTF-16 unit raised by one];
        // the bound itself (and anything else in range without the prefix) is filtered out below.
        IEnumerable<KeyValuePair<string, byte[]>> range = prefix.Length == 0 || prefix[^1] == char.MaxValue || entries.Count == 0
            ? entries
            : entries.GetViewBetween(new(prefix, []), new(prefix[..^1] + (char)(prefix[^1] + 1), []));
        foreach (KeyValuePair<string, byte[]> entry in range)
        {
            if (entry.Key.StartsWith(prefix, StringComparison.Ordinal)) yield return entry;
            else if (string.CompareOrdinal(entry.Key, prefix) > 0) yield break;
        }
    }

    public void Apply(IEnumerable<StateChange> changes)
    {
        foreach (StateChange change in changes)
        {
            var entry = new KeyValuePair<string, byte[]>(change.Key, change.Value ?? []);
            entries.Remove(entry);
            byKey.Remove(change.Key);
            if (change.Value is null) continue;
            entries.Add(entry);
            byKey.Add(change.Key, change.Value);
        }
    }

    private sealed class KeyOrder : IComparer<KeyValuePair<string, byte[]>>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(KeyValuePair<string, byte[]> x, KeyValuePair<string, byte[]> y) => string.CompareOrdinal(x.Key, y.Key);
    }
}

/// <param name="Value">The new value, or null when the entry is deleted.</param>
public sealed record StateChange(string Key, byte[]? Value);

/// <summary>
/// Uncommitted writes over a state: a block is executed into an overlay, and only a block that verifies is
/// committed, so a failed block leaves the state untouched.
/// </summary>
public sealed class StateOverlay(IStateReader below) : IStateReader
{
    private readonly SortedDictionary<string, byte[]?> writes = new(StringComparer.Ordinal);

    public byte[]? Get(string key) => writes.TryGetValue(key, out byte[]? value) ? value : below.Get(key);

    public void Set(string key, byte[] value) => writes[key] = value;

    public void Delete(string key) => writes[key] = null;

    /// <summary>Every write as made, in key order, also those that restore what is below (see <see cref="Changes"/>).</summary>
    internal IEnumerable<KeyValuePair<string, byte[]?>> Writes => writes;

    /// <summary>Writes in key order; writes that restore what is below are dropped so the change set is minimal.</summary>
    public IReadOnlyList<StateChange> Changes()
    {
        var changes = new List<StateChange>();
        foreach ((string key, byte[]? value) in writes)
        {
            byte[]? old = below.Get(key);
            bool same = value is null ? old is null : old is not null && value.AsSpan().SequenceEqual(old);
            if (!same) changes.Add(new StateChange(key, value));
        }
        return changes;
    }

    public IEnumerable<KeyValuePair<string, byte[]>> Entries() => Merge(below.Entries(), writes);

    public IEnumerable<KeyValuePair<string, byte[]>> EntriesWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var written = new List<KeyValuePair<string, byte[]?>>();
        foreach (KeyValuePair<string, byte[]?> write in writes)
        {
            if (write.Key.StartsWith(prefix, StringComparison.Ordinal)) written.Add(write);
        }
        return Merge(below.EntriesWithPrefix(prefix), written);
    }

    /// <summary><paramref name="committed"/> with <paramref name="written"/> (both in key order) over it; a null value deletes.</summary>
    private static IEnumerable<KeyValuePair<string, byte[]>> Merge(IEnumerable<KeyValuePair<string, byte[]>> committed, IEnumerable<KeyValuePair<string, byte[]?>> written)
    {
        using IEnumerator<KeyValuePair<string, byte[]>> a = committed.GetEnumerator();
        using IEnumerator<KeyValuePair<string, byte[]?>> b = written.GetEnumerator();
        bool hasA = a.MoveNext(), hasB = b.MoveNext();
        while (hasA || hasB)
        {
            int order = !hasA ? 1 : !hasB ? -1 : string.CompareOrdinal(a.Current.Key, b.Current.Key);
            if (order < 0)
            {
                yield return a.Current;
                hasA = a.MoveNext();
                continue;
            }
            if (b.Current.Value is not null) yield return new KeyValuePair<string, byte[]>(b.Current.Key, b.Current.Value);
            if (order == 0) hasA = a.MoveNext();
            hasB = b.MoveNext();
        }
    }

    /// <summary>Entries whose key starts with <paramref name="prefix"/>, in key order.</summary>
    public List<KeyValuePair<string, byte[]>> WithPrefix(string prefix)
    {
        var result = new List<KeyValuePair<string, byte[]>>();
        foreach (KeyValuePair<string, byte[]> entry in EntriesWithPrefix(prefix)) result.Add(entry);
        return result;
    }
}
