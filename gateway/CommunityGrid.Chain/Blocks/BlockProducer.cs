using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// Builds the next block from mempool candidates (in arrival order) at a given time: invalid and duplicate
/// candidates are skipped with their outcome; no block is made unless a transaction applies or an interval
/// closes at that time.
/// </summary>
public static class BlockProducer
{
    public const int DefaultMaxTransactions = 2000;

    /// <summary>The proposal for the next height, or one with a null header when there is nothing to put in a block.</summary>
    /// <param name="timeMs">Block time, Unix ms; must be after the tip's time (a node passes max(clock, tip + 1)).</param>
    /// <param name="maxTransactions">Candidates after the one that fills the block get no outcome: keep them for the next block.</param>
    public static Proposal Propose(ChainState state, IReadOnlyList<byte[]> candidates, long timeMs, byte[] proposer, int maxTransactions = DefaultMaxTransactions) =>
        Build(state, candidates, timeMs, proposer, maxTransactions).Proposal;

    /// <summary>
    /// <see cref="Propose"/>, with the proposal's execution on <paramref name="state"/> (null when there is nothing to
    /// propose): a validator judging its own proposal valid (chain.md §6 but the commit) takes it instead of executing
    /// the block a second time.
    /// </summary>
    public static (Proposal Proposal, ExecutedBlock? Executed) ProposeExecuted(ChainState state, IReadOnlyList<byte[]> candidates, long timeMs, byte[] proposer,
        int maxTransactions = DefaultMaxTransactions) =>
        Build(state, candidates, timeMs, proposer, maxTransactions);

    /// <summary>
    /// Proposes and commits with this gateway's key alone: the whole of consensus for a validator set of one. The result
    /// carries the block already prepared against <paramref name="state"/> from the producer's own execution, so storing
    /// it (ChainStore.Append(PreparedBlock)) does not execute it a second time.
    /// </summary>
    public static Produced Produce(ChainState state, IReadOnlyList<byte[]> candidates, long timeMs, Ed25519Signer validator, int maxTransactions = DefaultMaxTransactions)
    {
        (Proposal proposal, ExecutedBlock? executed) = Build(state, candidates, timeMs, validator.PublicKey, maxTransactions);
        if (executed is null) return new Produced(null, proposal.Outcomes, null);
        PreparedBlock prepared = executed.WithCommit(BlockCommits.SignAlone(executed.Header, validator));
        return new Produced(prepared.Block, proposal.Outcomes, prepared);
    }

    private static (Proposal Proposal, ExecutedBlock? Executed) Build(ChainState state, IReadOnlyList<byte[]> candidates, long timeMs, byte[] proposer, int maxTransactions)
    {
        if (timeMs <= state.TipTimeMs) throw new ArgumentOutOfRangeException(nameof(timeMs), $"block time {timeMs} must be after the tip's {state.TipTimeMs}");
        BlockExecution run = BlockExecutor.Run(state.Entries, timeMs, candidates, state.Catalog, maxTransactions, state.CommittedReadings);
        if (run.Applied.Count == 0 && run.Settlements.Count == 0) return (new Proposal(null, null, run.Outcomes), null);
        var body = new BlockBody(run.AppliedBytes(), run.Settlements, state.TipCommit);
        IReadOnlyList<StateChange> changes = run.View.Overlay.Changes();
        byte[] stateRoot = state.StateRootAfter(changes);
        var header = new BlockHeader(
            state.ChainId, state.Height + 1, timeMs, state.TipHash, body.TxRoot(), stateRoot,
            body.SettlementRoot(), ValidatorSet.FromState(run.View.Overlay).Hash, proposer, BlockCommits.PreviousCommitHash(state.TipCommit));
        return (new Proposal(header, body, run.Outcomes), state.ExecutedHere(header, body, run, changes, stateRoot));
    }

    /// <summary>Whether a block is due at <paramref name="timeMs"/> even with an empty mempool.</summary>
    public static bool IntervalCloseDue(ChainState state, long timeMs) => IntervalCloser.AnyDue(state.View(), timeMs);
}

public sealed record Proposal(BlockHeader? Header, BlockBody? Body, IReadOnlyList<MempoolOutcome> Outcomes);

/// <param name="Block">Null when nothing was due; see <paramref name="Outcomes"/> for what happened to each candidate.</param>
/// <param name="Prepared">The block prepared against the state it was produced on (null with <paramref name="Block"/>): store it with ChainStore.Append(PreparedBlock).</param>
public sealed record Produced(Block? Block, IReadOnlyList<MempoolOutcome> Outcomes, PreparedBlock? Prepared);
