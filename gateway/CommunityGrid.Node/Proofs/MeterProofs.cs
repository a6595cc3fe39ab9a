using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Proofs;

/// <summary>
/// Builds the proof messages (docs/protocol.md §7.6) at the committed tip. Call under the store lock, like every other
/// read: the header, the certificate and every path are then of one and the same state.
/// </summary>
public static class MeterProofs
{
    private static readonly string MeterKeyPrefix = StateKeys.Meter("");

    /// <param name="wanted">Whether a meter gets a message, given its id and its house's balance at the tip.</param>
    /// <param name="committed">
    /// The last block reported committed, with the header before it, as the caller holds them: used when it is the stored
    /// tip (same height and header hash), so a round does not read the tip back from SQLite and decode its body (about
    /// 440 KB for 2,000 readings) and the header before it (issue 18); otherwise, or when null, both are read from the store.
    /// </param>
    public static IReadOnlyList<MeterProofMessage> Take(ChainStore store, Func<string, long, bool> wanted, CommittedTip? committed = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(wanted);
        var messages = new List<MeterProofMessage>();
        if (store.Height == 0) return messages;
        bool committedIsTip = committed is not null && committed.Block.Height == store.Height && Hashes.Equal(committed.Block.Header.Hash(), store.State.TipHash);
        Block block = committedIsTip ? committed!.Block : store.GetBlock(store.Height)!.Block;
        StateView view = store.State.View();
        var meters = new List<(string MeterId, string HouseId, long Balance)>();
        var keys = new List<string>();
        foreach (KeyValuePair<string, byte[]> entry in view.WithPrefix(MeterKeyPrefix))
        {
            string meterId = entry.Key[MeterKeyPrefix.Length..];
            string houseId = MeterRecord.Decode(entry.Value).HouseId;
            // A house whose exit became final has no balance entry any more (breakaway.md; ExitFinalization): there
            // is nothing to prove on this chain, its meters moved to the new community's. Without this skip every
            // meter of the old community stopped getting proofs once one house had left.
            if (view.Overlay.Get(StateKeys.Balance(houseId)) is null) continue;
            long balance = view.Balance(houseId);
            if (!wanted(meterId, balance)) continue;
            meters.Add((meterId, houseId, balance));
            keys.Add(entry.Key);
            keys.Add(StateKeys.Balance(houseId));
        }
        if (meters.Count == 0) return messages;
        // Every message proves the same price entry; a chain made before the entry existed has none to prove.
        IntervalPrice price = IntervalPrice.Read(view) ?? throw new InvalidOperationException($"state entry '{StateKeys.Price}' is missing; the chain predates it and must be started anew");
        keys.Add(StateKeys.Price);
        IReadOnlyDictionary<string, StateProof> proofs = store.State.ProveMany(keys);
        Dictionary<string, int> lastReading = LastReadingIndexByMeter(block);
        MerkleLevels? txTree = lastReading.Count == 0 ? null : TxTree(block);
        byte[] header = block.Header.Encode();
        byte[] certificate = block.Commit.Encode();
        byte[]? nextSet = AnnouncedSet(store, block, committedIsTip ? committed!.Previous : null);
        InclusionPath pricePath = Path(proofs[StateKeys.Price]);
        foreach ((string meterId, string houseId, long balance) in meters)
        {
            StateProof entryProof = proofs[StateKeys.Meter(meterId)];
            StateProof balanceProof = proofs[StateKeys.Balance(houseId)];
            InclusionPath? reading = txTree is not null && lastReading.TryGetValue(meterId, out int index)
                ? new InclusionPath(index, txTree.TreeSize, txTree.InclusionProof(index))
                : null;
            messages.Add(new MeterProofMessage(store.Genesis.ChainId, meterId, header, certificate,
                entryProof.Value, Path(entryProof), balance, Path(balanceProof), reading, nextSet, price, pricePath));
        }
        return messages;
    }

    /// <summary>The meters with a reading in <paramref name="block"/> (they are owed a message even if their balance did not change).</summary>
    public static IEnumerable<string> MetersWithReadings(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        foreach (byte[] tx in block.Body.Transactions)
        {
            if (Transaction.ReadingInFinalBlock(tx) is { } reading) yield return reading.MeterId;
        }
    }

    private static InclusionPath Path(StateProof proof) => new(proof.Index, proof.TreeSize, proof.Path);

    /// <summary>Each meter's highest-sequence reading in the block: proving it proves the meter's state entry's sequence.</summary>
    private static Dictionary<string, int> LastReadingIndexByMeter(Block block)
    {
        var last = new Dictionary<string, (long Sequence, int Index)>(StringComparer.Ordinal);
        for (int i = 0; i < block.Body.Transactions.Count; i++)
        {
            if (Transaction.ReadingInFinalBlock(block.Body.Transactions[i]) is not { } reading) continue;
            if (!last.TryGetValue(reading.MeterId, out var seen) || seen.Sequence < reading.Sequence) last[reading.MeterId] = (reading.Sequence, i);
        }
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, (long Sequence, int Index)> entry in last) result[entry.Key] = entry.Value.Index;
        return result;
    }

    private static MerkleLevels TxTree(Block block)
    {
        var leaves = new byte[block.Body.Transactions.Count][];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = BclMerkleHasher.Instance.LeafHash(block.Body.Transactions[i]);
        return new MerkleLevels(leaves, BclMerkleHasher.Instance);
    }

    /// <summary>
    /// The set encoding (chain.md §1) when the tip header's field 8 names another set than the one that committed the
    /// tip (header h-1's field 8; the genesis set for block 1): the adjacent-header step a light client needs.
    /// </summary>
    /// <param name="previous">Header h-1 as the caller holds it, or null; used only when the tip's previous hash names it.</param>
    private static byte[]? AnnouncedSet(ChainStore store, Block block, BlockHeader? previous)
    {
        bool previousIsParent = previous is not null && previous.Height == block.Height - 1 && Hashes.Equal(previous.Hash(), block.Header.PreviousHash);
        byte[] committedBy = block.Height == 1
            ? ValidatorSet.FromGenesis(store.Genesis).Hash
            : (previousIsParent ? previous! : store.GetBlock(block.Height - 1)!.Block.Header).ValidatorSetHash;
        if (Hashes.Equal(committedBy, block.Header.ValidatorSetHash)) return null;
        ValidatorSet next = store.State.Validators;
        var w = Cbor.Writer();
        next.Write(w);
        byte[] encoding = w.Encode();
        return Hashes.Equal(Hashes.Sha256(encoding), block.Header.ValidatorSetHash) ? encoding : null;
    }
}
