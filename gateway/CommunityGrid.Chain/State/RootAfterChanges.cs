using System;
using System.Collections.Generic;

namespace CommunityGrid.Chain.State;

/// <summary>
/// The last root <see cref="CachedStateRoot"/> computed and the changes it was computed for. It keeps its own
/// copies of the values, so a later write into a caller's array cannot make different changes look the same.
/// </summary>
internal sealed class RootAfterChanges
{
    private readonly StateChange[] changes;

    public RootAfterChanges(IReadOnlyList<StateChange> changes, byte[] root)
    {
        this.changes = new StateChange[changes.Count];
        for (int i = 0; i < changes.Count; i++)
        {
            StateChange change = changes[i];
            this.changes[i] = new StateChange(change.Key, change.Value is null ? null : (byte[])change.Value.Clone());
        }
        Root = root;
    }

    public byte[] Root { get; }

    public bool Matches(IReadOnlyList<StateChange> other)
    {
        if (other.Count != changes.Length) return false;
        for (int i = 0; i < changes.Length; i++)
        {
            StateChange mine = changes[i], theirs = other[i];
            if (!string.Equals(mine.Key, theirs.Key, StringComparison.Ordinal)) return false;
            bool sameValue = mine.Value is null || theirs.Value is null
                ? mine.Value is null && theirs.Value is null
                : mine.Value.AsSpan().SequenceEqual(theirs.Value);
            if (!sameValue) return false;
        }
        return true;
    }
}
