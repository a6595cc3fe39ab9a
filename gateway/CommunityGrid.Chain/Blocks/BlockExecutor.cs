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
/// intervals due at the block time close (applying passed changes at their boundary). Everything happens in an
/// overlay; nothing is committed here.
/// </summary>
internal static class BlockExecutor
{
    /// <param name="committedReadings">
    /// Where a proposal finds the readings the chain already holds, so that a resend is answered as a duplicate; null
    /// when verifying a block, which may hold neither a duplicate nor a replayed sequence.
    /// </param>
    /// <param name="decoded">
    /// Candidates already decoded, parallel to <paramref name="candidates"/> (see <see cref="ChainState.Prepare(Block, IReadOnlyList{Transaction})"/>);
    /// an entry counts only if it was decoded from that very array, else the candidate is decoded here.
    /// </param>
    public static BlockExecution Run(IStateReader committed, long blockTimeMs, IReadOnlyList<byte[]> candidates, SettlementCatalog catalog, int maxApplied,
        ICommittedReadings? committedReadings = null, IReadOnlyList<Transaction?>? decoded = null)
    {
        var view = new StateView(new StateOverlay(committed));
        var execution = new BlockExecution(view);
        ProposalClosing.CloseDue(view, blockTimeMs, catalog);
        for (int i = 0; i < candidates.Count && execution.Applied.Count < maxApplied; i++)
        {
            TxOutcome? rejection = null;
            Transaction? tx = DecodedFrom(decoded, i, candidates[i]) ?? Transaction.TryDecode(candidates[i], out rejection);
            TxOutcome outcome = tx is null ? rejection! : ExecuteIsolated(view, tx, blockTimeMs, catalog);
            if (tx is not null && IsResend(tx, outcome, execution.Applied, committedReadings))
            {
                outcome = TxOutcome.Duplicate($"reading {Encoding.Hashes.Hex(tx.Id)} is already in the chain");
            }
            execution.Outcomes.Add(new MempoolOutcome(i, tx?.Id ?? Encoding.Hashes.Sha256(candidates[i]), outcome));
            if (outcome.Status == TxStatus.Applied) execution.Applied.Add(tx!);
        }
        execution.Settlements.AddRange(IntervalCloser.CloseDue(view, blockTimeMs, catalog));
        ValidatorSetChanges.Advance(view);
        return execution;
    }

    private static Transaction? DecodedFrom(IReadOnlyList<Transaction?>? decoded, int index, byte[] candidate) =>
        decoded is not null && index < decoded.Count && decoded[index] is { } tx && ReferenceEquals(tx.Bytes, candidate) ? tx : null;

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
        // Every write as made: one that restores the value below leaves the view reading the same, and the block's
        // change set (Changes) drops it there, so the result equals copying only the scratch's minimal changes
        // without looking each key up again below.
        scratch.Overlay.CopyWritesTo(view.Overlay);
        return outcome;
    }

    /// <summary>
    /// chain.md §4: a reading refused for its sequence is a duplicate when it is the very transaction the chain (or this
    /// block, earlier) holds for that meter and sequence: same id, so the same signed bytes.
    /// </summary>
    private static bool IsResend(Transaction tx, TxOutcome outcome, List<Transaction> appliedInBlock, ICommittedReadings? committedReadings)
    {
        if (tx.Reading is not { } r || outcome.Reason != RejectionReason.ReplayedSequence) return false;
        foreach (Transaction applied in appliedInBlock)
        {
            if (Encoding.Hashes.Equal(applied.Id, tx.Id)) return true;
        }
        return committedReadings is not null && committedReadings.Holds(r.MeterId, r.Sequence, tx.Id);
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
