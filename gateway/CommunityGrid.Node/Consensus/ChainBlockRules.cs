using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Machine;
using CommunityGrid.Node.Mempool;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Consensus;

/// <summary>
/// The chain's block rules as the consensus asks for them: a proposal is built from the mempool by the same producer
/// a single gateway uses; valid(v) is every rule of chain.md §6 but the commit (<see cref="ChainState.Execute"/>). Each
/// block executed here is kept until its height is decided, so the decision stores it without executing it again.
/// Called on the driver's thread only; the store is read under the store lock.
/// </summary>
internal sealed class ChainBlockRules(ChainStore store, object storeLock, TransactionPool pool, byte[] selfKey, CommittedBlocks answers) : IBlockRules
{
    private const int CandidatesPerProposal = BlockProducer.DefaultMaxTransactions * 2;
    private readonly Dictionary<BlockId, ExecutedBlock?> executed = new();
    private long executedHeight;

    public ConsensusBlock? CreateBlock(long height, long timeMs)
    {
        List<PendingTransaction> candidates = pool.Oldest(CandidatesPerProposal);
        Proposal proposal;
        ExecutedBlock? executedHere;
        lock (storeLock)
        {
            ChainState state = store.State;
            if (state.Height + 1 != height) return null;
            if (candidates.Count == 0 && !BlockProducer.IntervalCloseDue(state, timeMs)) return null;
            (proposal, executedHere) = BlockProducer.ProposeExecuted(state, candidates.Select(c => c.Bytes).ToList(), timeMs, selfKey);
        }
        // Duplicates and transactions the tip refuses are answered now, as a single gateway's production does.
        answers.AnswerInapplicable(candidates, proposal.Outcomes, height - 1);
        if (proposal.Header is null || executedHere is null) return null;
        ConsensusBlock block = ConsensusWire.ToConsensus(proposal.Header, proposal.Body!);
        // Our own proposal is valid(v) by construction: IsValid finds its execution here instead of running it again.
        AtHeight(height);
        executed[block.Id] = executedHere;
        return block;
    }

    public bool IsValid(long height, ConsensusBlock block)
    {
        AtHeight(height);
        if (executed.TryGetValue(block.Id, out ExecutedBlock? known)) return known is not null;
        ExecutedBlock? result = null;
        try
        {
            (BlockHeader header, BlockBody body) = ConsensusWire.FromConsensus(block.Bytes);
            if (header.Height == height && header.TimeMs == block.TimeMs && Hashes.Equal(header.Hash(), block.Id.ToArray()))
            {
                lock (storeLock) result = store.State.Execute(header, body);
            }
        }
        catch (Exception e) when (e is ChainFormatException or BlockVerificationException)
        {
            result = null;
        }
        executed[block.Id] = result;
        return result is not null;
    }

    private void AtHeight(long height)
    {
        if (executedHeight == height) return;
        executed.Clear();
        executedHeight = height;
    }

    /// <summary>The execution of a block this node judged valid at the state it is deciding on, or null (then it is executed again).</summary>
    public ExecutedBlock? Executed(long height, BlockId id) =>
        executedHeight == height && executed.TryGetValue(id, out ExecutedBlock? block) ? block : null;
}
