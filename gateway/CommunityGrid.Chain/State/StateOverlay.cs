using System;
using System.Collections.Generic;

namespace CommunityGrid.Chain.State;

/// <summary>
/// Uncommitted writes over a state: a block is executed into an overlay, and only a block that verifies is
/// committed, so a failed block leaves the state untouched.
/// </summary>
/// <remarks>
/// Every transaction runs in an overlay of its own over the block's (<c>BlockExecutor</c>), so an overlay is made,
/// written and copied per transaction: the writes are a hash map (point reads and writes only), and the key order an
/// enumeration needs (the block's prefix reads and <see cref="Changes"/>) is a sorted list of the written keys made at
/// the first enumeration, with the keys written since sorted and merged in at each later one, not a sorted tree kept
/// up at every write of every overlay (issue 18).
/// </remarks>
public sealed class StateOverlay(IStateReader below) : IStateReader
{
    // A null Value deletes. Record: the typed record the bytes were encoded from (or decoded here), beside those bytes,
    // so a block's readings neither decode the meter and pending entries they just wrote, nor does the next block decode
    // what this one committed (StateChange.Record); null when the key was written as bytes only.
    private readonly Dictionary<string, (byte[]? Value, object? Record)> writes = new(StringComparer.Ordinal);

    // The written keys in ordinal order as of the last enumeration (a transaction's overlay is never enumerated, so it
    // never sorts), and the keys first written since, merged in at the next one: a block's interval close writes between
    // its prefix reads, and a large block writes thousands of keys between two of them (issue 18).
    private List<string>? keyOrder;
    private List<string>? keysSinceOrder;

    public byte[]? Get(string key) => writes.TryGetValue(key, out (byte[]? Value, object? Record) write) ? write.Value : below.Get(key);

    public T? GetRecord<T>(string key, Func<byte[], T> decode) where T : class
    {
        if (!writes.TryGetValue(key, out (byte[]? Value, object? Record) write)) return below.GetRecord(key, decode);
        if (write.Value is null) return null;
        if (write.Record is T kept) return kept;
        T decoded = decode(write.Value);
        writes[key] = (write.Value, decoded);
        return decoded;
    }

    public void Set(string key, byte[] value) => Write(key, value, null);

    /// <summary>Writes <paramref name="value"/>, which must be the encoding of <paramref name="record"/>, and keeps the record beside it.</summary>
    public void SetRecord(string key, byte[] value, object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Write(key, value, record);
    }

    public void Delete(string key) => Write(key, null, null);

    private void Write(string key, byte[]? value, object? record)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!writes.TryAdd(key, (value, record)))
        {
            writes[key] = (value, record);
            return;
        }
        if (keyOrder is not null) (keysSinceOrder ??= []).Add(key);
    }

    /// <summary>
    /// Copies every write as made (with its record) onto <paramref name="target"/>: what a transaction that applied leaves
    /// in its block. The keys are distinct, so the order they are copied in cannot change the target.
    /// </summary>
    internal void CopyWritesTo(StateOverlay target)
    {
        foreach ((string key, (byte[]? value, object? record)) in writes) target.Write(key, value, record);
    }

    /// <summary>Writes in key order; writes that restore what is below are dropped so the change set is minimal.</summary>
    public IReadOnlyList<StateChange> Changes() => ChangesWithPrefix("");

    /// <summary>
    /// <see cref="Changes"/> of the keys under <paramref name="prefix"/> only, for a rule that looks at one kind of entry
    /// (the block's validator updates) without checking every write of the block against the state below (issue 18).
    /// </summary>
    public IReadOnlyList<StateChange> ChangesWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var changes = new List<StateChange>();
        List<string> keys = WrittenKeysInOrder();
        for (int i = FirstAtOrAfter(keys, prefix); i < keys.Count && keys[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            string key = keys[i];
            (byte[]? value, object? record) = writes[key];
            byte[]? old = below.Get(key);
            bool same = value is null ? old is null : old is not null && value.AsSpan().SequenceEqual(old);
            if (!same) changes.Add(new StateChange(key, value) { Record = record });
        }
        return changes;
    }

    public IEnumerable<KeyValuePair<string, byte[]>> Entries() => Merge(below.Entries(), Written(""));

    public IEnumerable<KeyValuePair<string, byte[]>> EntriesWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Merge(below.EntriesWithPrefix(prefix), Written(prefix));
    }

    /// <summary>The writes under <paramref name="prefix"/> in key order, as they are now (later writes do not show).</summary>
    private List<KeyValuePair<string, byte[]?>> Written(string prefix)
    {
        var written = new List<KeyValuePair<string, byte[]?>>();
        List<string> keys = WrittenKeysInOrder();
        // In ordinal order the keys under a prefix are one run, starting at the first key not below the prefix: a block's
        // prefix reads (pending entries, validators) look at that run, not at every key the block wrote.
        for (int i = FirstAtOrAfter(keys, prefix); i < keys.Count && keys[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            written.Add(new(keys[i], writes[keys[i]].Value));
        }
        return written;
    }

    /// <summary>The index of the first of the ordinally sorted <paramref name="keys"/> that is not less than <paramref name="prefix"/>.</summary>
    private static int FirstAtOrAfter(List<string> keys, string prefix)
    {
        int index = keys.BinarySearch(prefix, StringComparer.Ordinal);
        return index >= 0 ? index : ~index;
    }

    private List<string> WrittenKeysInOrder()
    {
        if (keyOrder is null)
        {
            keyOrder = new List<string>(writes.Keys);
            keyOrder.Sort(StringComparer.Ordinal);
            return keyOrder;
        }
        if (keysSinceOrder is not { Count: > 0 }) return keyOrder;
        keysSinceOrder.Sort(StringComparer.Ordinal);
        var merged = new List<string>(keyOrder.Count + keysSinceOrder.Count);
        int known = 0, added = 0;
        while (known < keyOrder.Count || added < keysSinceOrder.Count)
        {
            bool takeKnown = added == keysSinceOrder.Count
                || (known < keyOrder.Count && string.CompareOrdinal(keyOrder[known], keysSinceOrder[added]) < 0);
            merged.Add(takeKnown ? keyOrder[known++] : keysSinceOrder[added++]);
        }
        keysSinceOrder.Clear();
        keyOrder = merged;
        return merged;
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
