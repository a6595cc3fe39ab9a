using System;
using System.Collections.Generic;
using System.Linq;

namespace CommunityGrid.Peering;

/// <summary>
/// The validator set as the network sees it: who may connect, where each one listens, and which pairs this node
/// dials. Tie-break: of each pair, the validator with the bytewise lower key dials, the other only listens, so
/// exactly one connection per pair exists (docs/peering.md, "Who dials whom").
/// </summary>
public sealed class ValidatorDirectory
{
    private readonly Dictionary<PeerKey, PeerValidator> byKey = new();

    public PeerKey Self { get; }

    /// <summary>False for a node that follows the set without being in it.</summary>
    public bool IsMember { get; }

    /// <summary>Every validator but this node, sorted by key.</summary>
    public IReadOnlyList<PeerValidator> Peers { get; }

    public ValidatorDirectory(PeerKey self, IEnumerable<PeerValidator> validators)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(validators);
        foreach (PeerValidator validator in validators)
        {
            PeerValidator.SplitAddress(validator.Address);
            if (!byKey.TryAdd(validator.Key, validator))
            {
                throw new ArgumentException($"validator {validator.Key} is listed twice", nameof(validators));
            }
        }
        // A node outside the set (added by a vote it has not replayed yet, or removed) still connects to the set:
        // it follows the chain without a vote.
        IsMember = byKey.ContainsKey(self);
        Self = self;
        Peers = byKey.Values.Where(v => !v.Key.Equals(self)).OrderBy(v => v.Key).ToArray();
    }

    public bool TryGet(PeerKey key, out PeerValidator validator) => byKey.TryGetValue(key, out validator!);

    /// <summary>True when this node is the one that dials <paramref name="peer"/>: its key is the lower.</summary>
    public bool DialsTo(PeerKey peer) => Self.CompareTo(peer) < 0;
}
