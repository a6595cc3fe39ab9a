using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// The state transition of one block, shared by production and verification so both run the same code:
/// first the proposals whose vote closed by the block time are tallied, then the transactions in order, then the
/// intervals due at the block time close (applying passed changes at their boundary), then expired duplicate-detection
/// entries are pruned. Everything happens in an overlay; nothing is committed here.
/// </summary>
internal static class BlockExecutor
{
    public static BlockExecution Run(IStateReader committed, long blockTimeMs, IReadOnlyList<byte[]> candidates, SettlementCatalog catalog, int maxApplied)
    {
        var view = new StateView(new StateOverlay(committed));
        var execution = new BlockExecution(view);
        ProposalClosing.CloseDue(view, blockTimeMs, catalog);
        for (int i = 0; i < candidates.Count && execution.Applied.Count < maxApplied; i++)
        {
            Transaction? tx = Transaction.TryDecode(candidates[i], out TxOutcome? rejection);
            TxOutcome outcome = tx is null ? rejection! : ExecuteIsolated(view, tx, blockTimeMs, catalog);
            execution.Outcomes.Add(new MempoolOutcome(i, tx?.Id ?? Encoding.Hashes.Sha256(candidates[i]), outcome));
            if (outcome.Status == TxStatus.Applied) execution.Applied.Add(tx!);
        }
        execution.Settlements.AddRange(IntervalCloser.CloseDue(view, blockTimeMs, catalog));
        PruneRecent(view, blockTimeMs);
        ValidatorSetChanges.Advance(view);
        return execution;
    }

    /// <summary>
    /// Runs one transaction in a scratch overlay and keeps its writes only if it applies. Should a rule ever throw (a
    /// bug: the rules are meant to be total), the transaction is rejected as ExecutionFailed with nothing changed, so
    /// no single transaction can stop block production; a block holding it does not verify, because verification runs
    /// this same code. Only exceptions that the same input raises on every machine are caught.
    /// </summary>
    private static TxOutcome ExecuteIsolated(StateView view, Transaction tx, long blockTimeMs, SettlementCatalog catalog)
    {
        var scratch = new StateView(new StateOverlay(view.Overlay));
        TxOutcome outcome;
        try
        {
            outcome = TransactionRules.Execute(scratch, tx, blockTimeMs, catalog);
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException or FormatException
            or KeyNotFoundException or IndexOutOfRangeException or Encoding.ChainFormatException or System.Formats.Cbor.CborContentException)
        {
            return TxOutcome.Reject(RejectionReason.ExecutionFailed, $"applying the transaction failed: {e.GetType().Name}: {e.Message}");
        }
        if (outcome.Status != TxStatus.Applied) return outcome;
        foreach (StateChange change in scratch.Overlay.Changes())
        {
            if (change.Value is null) view.Overlay.Delete(change.Key);
            else view.Overlay.Set(change.Key, change.Value);
        }
        return outcome;
    }

    /// <summary>Readings older than the retention window are stale anyway, so their duplicate entries can go.</summary>
    private static void PruneRecent(StateView view, long blockTimeMs)
    {
        ChainParameters p = view.Parameters;
        // Read lazily: only the expired entries at the front are visited, not the whole retention window each block.
        // The overlay's own writes are taken when the enumeration starts, so the deletes below do not disturb it.
        foreach (KeyValuePair<string, byte[]> entry in view.Overlay.EntriesWithPrefix(StateKeys.RecentPrefix))
        {
            long intervalEndMs = (StateKeys.RecentIntervalStart(entry.Key) + p.IntervalSeconds) * 1000L;
            if (intervalEndMs >= blockTimeMs - p.RetentionSeconds * 1000L) break;
            view.Overlay.Delete(entry.Key);
        }
    }
}

internal sealed class BlockExecution(StateView view)
{
    public StateView View { get; } = view;
    public List<MempoolOutcome> Outcomes { get; } = [];
    public List<Transaction> Applied { get; } = [];
    public List<SettlementResult> Settlements { get; } = [];

    public List<byte[]> AppliedBytes()
    {
        var bytes = new List<byte[]>(Applied.Count);
        foreach (Transaction tx in Applied) bytes.Add(tx.Bytes);
        return bytes;
    }
}

/// <param name="Index">Position in the candidate list the producer was given.</param>
public sealed record MempoolOutcome(int Index, byte[] TxId, TxOutcome Outcome);
