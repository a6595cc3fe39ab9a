using System;
using System.Collections.Generic;

namespace CommunityGrid.Chain.State;

/// <summary>Read access to key-ordered state entries.</summary>
public interface IStateReader
{
    byte[]? Get(string key);

    /// <summary>All entries in ordinal key order.</summary>
    IEnumerable<KeyValuePair<string, byte[]>> Entries();
}

/// <summary>The committed state: entries in ordinal key order (never hash-map order, which is not deterministic).</summary>
public sealed class StateEntries : IStateReader
{
    private readonly SortedDictionary<string, byte[]> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public byte[]? Get(string key) => entries.TryGetValue(key, out byte[]? value) ? value : null;

    public IEnumerable<KeyValuePair<string, byte[]>> Entries() => entries;

    public void Apply(IEnumerable<StateChange> changes)
    {
        foreach (StateChange change in changes)
        {
            if (change.Value is null) entries.Remove(change.Key);
            else entries[change.Key] = change.Value;
        }
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

    public IEnumerable<KeyValuePair<string, byte[]>> Entries()
    {
        using IEnumerator<KeyValuePair<string, byte[]>> a = below.Entries().GetEnumerator();
        using IEnumerator<KeyValuePair<string, byte[]?>> b = writes.GetEnumerator();
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
        foreach (KeyValuePair<string, byte[]> entry in Entries())
        {
            if (entry.Key.StartsWith(prefix, StringComparison.Ordinal)) result.Add(entry);
            else if (string.CompareOrdinal(entry.Key, prefix) > 0) break;
        }
        return result;
    }
}
