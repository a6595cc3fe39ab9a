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

    /// <summary>
    /// The value of <paramref name="key"/> as a typed record: what <paramref name="decode"/> gives for <see cref="Get"/>'s
    /// bytes, or null when the key is absent. A reader may hand out the record it keeps beside those very bytes (written
    /// with them, or decoded from them before) instead of decoding again (issue 18); records are immutable.
    /// </summary>
    T? GetRecord<T>(string key, Func<byte[], T> decode) where T : class => Get(key) is { } bytes ? decode(bytes) : null;
}

/// <summary>The committed state: entries in ordinal key order (never hash-map order, which is not deterministic).</summary>
public sealed class StateEntries : IStateReader
{
    // The keys in a sorted set (not a SortedDictionary) because it can enumerate a key range without walking the keys
    // before it: every block reads several prefixes (validators/, gov/, …) of a state of many entries. Values live in
    // the dictionary only, so a block that updates a key (most changes: meters, balances) touches no tree node.
    private readonly SortedSet<string> keys = new(StringComparer.Ordinal);

    // The value of each key, for point reads and beside the ordered keys (never enumerated on its own, so its order
    // cannot leak into anything): a hash lookup instead of a walk down the sorted set, several per transaction (issue 18).
    private readonly Dictionary<string, StoredValue> byKey = new(StringComparer.Ordinal);

    public int Count => keys.Count;

    public byte[]? Get(string key) => byKey.TryGetValue(key, out StoredValue? value) ? value.Bytes : null;

    public T? GetRecord<T>(string key, Func<byte[], T> decode) where T : class
    {
        if (!byKey.TryGetValue(key, out StoredValue? value)) return null;
        if (value.Record is T kept) return kept;
        T decoded = decode(value.Bytes);
        value.Record = decoded;
        return decoded;
    }

    public IEnumerable<KeyValuePair<string, byte[]>> Entries()
    {
        foreach (string key in keys) yield return new(key, byKey[key].Bytes);
    }

    public IEnumerable<KeyValuePair<string, byte[]>> EntriesWithPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // Every key that starts with the prefix lies in [prefix, prefix with its last UTF-16 unit raised by one];
        // the bound itself (and anything else in range without the prefix) is filtered out below.
        IEnumerable<string> range = prefix.Length == 0 || prefix[^1] == char.MaxValue || keys.Count == 0
            ? keys
            : keys.GetViewBetween(prefix, prefix[..^1] + (char)(prefix[^1] + 1));
        foreach (string key in range)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) yield return new(key, byKey[key].Bytes);
            else if (string.CompareOrdinal(key, prefix) > 0) yield break;
        }
    }

    public void Apply(IEnumerable<StateChange> changes)
    {
        foreach (StateChange change in changes)
        {
            if (change.Value is null)
            {
                if (byKey.Remove(change.Key)) keys.Remove(change.Key);
                continue;
            }
            var stored = new StoredValue(change.Value) { Record = change.Record };
            if (byKey.TryAdd(change.Key, stored)) keys.Add(change.Key);
            else byKey[change.Key] = stored;
        }
    }

    /// <summary>A committed value and, once known, its typed record: decoded from these bytes, or the record they were encoded from.</summary>
    private sealed class StoredValue(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public object? Record { get; set; }
    }
}

/// <param name="Value">The new value, or null when the entry is deleted.</param>
public sealed record StateChange(string Key, byte[]? Value)
{
    /// <summary>
    /// The typed record <see cref="Value"/> was encoded from, when the block wrote one (<see cref="StateOverlay.SetRecord"/>),
    /// so the committed state can hand it out without decoding the bytes again. Not part of the change's identity:
    /// equality is the key and the value, as before.
    /// </summary>
    public object? Record { get; init; }

    public bool Equals(StateChange? other) =>
        other is not null && Key == other.Key && EqualityComparer<byte[]?>.Default.Equals(Value, other.Value);

    public override int GetHashCode() => HashCode.Combine(Key, Value);
}
