using System;
using System.Collections.Generic;

namespace CommunityGrid.Chain.State;

/// <summary>
/// What one set of changes does to the committed tree: the slot of each changed key afterwards, the new size and
/// the new nodes and root. <see cref="IncrementalStateTree"/> remembers the last one, so the root of a block this
/// gateway proposed is not hashed again when the block is applied. It keeps its own copies of the values, so a
/// later write into a caller's array cannot make different changes look the same.
/// </summary>
internal sealed class LayoutChange
{
    private readonly StateChange[] changes;

    public LayoutChange(IReadOnlyList<StateChange> changes, int[] slots, SubtreeUpdate nodes)
    {
        this.changes = new StateChange[changes.Count];
        for (int i = 0; i < changes.Count; i++)
        {
            StateChange change = changes[i];
            this.changes[i] = new StateChange(change.Key, change.Value is null ? null : (byte[])change.Value.Clone());
        }
        Slots = slots;
        Nodes = nodes;
    }

    /// <summary>Parallel to the changes: the key's slot after them, −1 for a deleted key.</summary>
    public int[] Slots { get; }

    public SubtreeUpdate Nodes { get; }

    public IReadOnlyList<StateChange> Changes => changes;

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
