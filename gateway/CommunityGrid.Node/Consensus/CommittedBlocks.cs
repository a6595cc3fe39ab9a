using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Api;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Display;
using CommunityGrid.Node.Proofs;
using CommunityGrid.Node.Mempool;
using CommunityGrid.Node.Timing;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Consensus;

/// <summary>
/// What a gateway of a set of several does once a block is final here (decided or caught up): its transactions leave
/// the mempool, readings that reached this gateway from their meter are acknowledged (after the commit, never
/// before), and what waits in the mempool but can no longer apply (already committed through another gateway, or
/// refused by the new state) is answered and dropped, as a single gateway's production does.
/// </summary>
internal sealed class CommittedBlocks(
    ChainStore store, object storeLock, TransactionPool pool, AckSender acks, DisplaySender displays, ProofSender proofs, GatewayMetrics metrics,
    RejectedTransactions rejected, IClock clock, ILogger logger)
{
    private const int ScreenedWhenIdle = BlockProducer.DefaultMaxTransactions * 2;

    /// <summary>Ids of mempool transactions that came from a peer, not from a meter or the API here: not ours to acknowledge.</summary>
    private readonly ConcurrentDictionary<string, byte> fromPeers = new(StringComparer.Ordinal);

    public event Action<Block, int>? BlockCommitted;

    public void ArrivedFromPeer(string idHex) => fromPeers[idHex] = 0;

    public void Committed(Block block, int round)
    {
        string chainId = store.Genesis.ChainId;
        var removed = new List<string>(block.Body.Transactions.Count);
        var released = new List<ReadingAck>();
        for (int i = 0; i < block.Body.Transactions.Count; i++)
        {
            string id = Hashes.Hex(Hashes.Sha256(block.Body.Transactions[i]));
            if (!pool.Contains(id))
            {
                RecordReadingFromPeer(block.Body.Transactions[i], block.Header.TimeMs);
                continue;
            }
            removed.Add(id);
            PendingTransaction? pending = pool.Find(id);
            if (pending?.MeterId is { } meter)
            {
                metrics.RecordReadingAccepted(meter);
                metrics.SetLastReading(meter, block.Header.TimeMs / 1000);
                if (!fromPeers.ContainsKey(id)) released.Add(new ReadingAck(chainId, meter, pending.Sequence, AckStatus.Committed, block.Height, i, null));
            }
        }
        pool.Remove(removed);
        foreach (string id in removed) fromPeers.TryRemove(id, out _);
        acks.EnqueueAll(released);
        // What waits but can no longer apply is answered when this gateway next proposes (AnswerInapplicable) or
        // when it is idle (DropInapplicable): re-executing the whole mempool after every block would cost a
        // signature check per waiting transaction per block.
        UpdateMetrics(block);
        displays.BlockCommitted(block);
        proofs.BlockCommitted(block);
        logger.LogInformation("block committed height={Height} round={Round} proposer={Proposer} time={TimeMs} txs={Txs} settlements={Settlements} acked={Acked} mempool={Pending}",
            block.Height, round, Hashes.Hex(block.Header.Proposer)[..8], block.Header.TimeMs, block.Body.Transactions.Count, block.Body.Settlements.Count, released.Count, pool.Count);
        BlockCommitted?.Invoke(block, round);
    }

    /// <summary>Answers what waits but cannot apply on the new tip, with the chain's reason; what still applies stays.</summary>
    public void DropInapplicable()
    {
        List<PendingTransaction> candidates = pool.Oldest(ScreenedWhenIdle);
        if (candidates.Count == 0) return;
        Proposal trial;
        long height;
        lock (storeLock)
        {
            ChainState state = store.State;
            height = state.Height;
            trial = BlockProducer.Propose(state, candidates.Select(c => c.Bytes).ToList(), Math.Max(clock.NowMs, state.TipTimeMs + 1), new byte[32]);
        }
        AnswerInapplicable(candidates, trial.Outcomes, height);
    }

    /// <summary>Answers and drops the candidates whose outcome on the tip at <paramref name="height"/> is not Applied.</summary>
    public void AnswerInapplicable(IReadOnlyList<PendingTransaction> candidates, IReadOnlyList<MempoolOutcome> outcomes, long height)
    {
        var dropped = new List<string>();
        foreach (MempoolOutcome o in outcomes)
        {
            if (o.Outcome.Status == TxStatus.Applied) continue;
            PendingTransaction tx = candidates[o.Index];
            dropped.Add(tx.IdHex);
            bool ours = !fromPeers.ContainsKey(tx.IdHex);
            if (o.Outcome.Status == TxStatus.AlreadyApplied)
            {
                StoredTransaction? first;
                lock (storeLock) first = store.GetTransaction(Convert.FromHexString(tx.IdHex));
                if (ours && tx.MeterId is { } meter && first is not null)
                {
                    acks.Enqueue(new ReadingAck(store.Genesis.ChainId, meter, tx.Sequence, AckStatus.AlreadyCommitted, first.Height, first.Index, null));
                }
                continue;
            }
            string reason = o.Outcome.Reason!.Value.ToString();
            if (tx.MeterId is { } badMeter)
            {
                metrics.RecordReadingRejected(badMeter, reason);
                if (ours) acks.Enqueue(ReadingAck.Rejected(store.Genesis.ChainId, badMeter, tx.Sequence, height, $"{reason}: {o.Outcome.Detail}"));
            }
            rejected.Record(new RejectedTransaction(tx.IdHex, o.Outcome.Reason.Value, o.Outcome.Detail, height));
            logger.LogInformation("{Type} rejected by the chain meter={MeterId} seq={Sequence} tx={TxId} reason={Reason} detail={Detail}",
                tx.Type, tx.MeterId ?? "-", tx.Sequence, tx.IdHex, reason, o.Outcome.Detail);
        }
        pool.Remove(dropped);
        foreach (string id in dropped) fromPeers.TryRemove(id, out _);
    }

    /// <summary>
    /// A reading committed without passing through this gateway's mempool (its meter reports to another gateway, or
    /// this one caught up by sync) still counts in the per-meter metrics, as the chain holds it: otherwise a gateway
    /// that restarted (it loads the last-reading times from the chain) would soon call every other gateway's meter
    /// silent. Decoding is enough (no signature check): the block is final, so the reading was applied.
    /// </summary>
    private void RecordReadingFromPeer(byte[] transaction, long blockTimeMs)
    {
        if (Transaction.ReadingInFinalBlock(transaction)?.MeterId is not { } meter) return;
        metrics.RecordReadingAccepted(meter);
        metrics.SetLastReading(meter, blockTimeMs / 1000);
    }

    private void UpdateMetrics(Block block)
    {
        lock (storeLock)
        {
            metrics.SetHeight(store.Height);
            StateView view = store.State.View();
            ChainParameters p = view.Parameters;
            if (block.Body.Settlements.Count > 0) metrics.SetLastClosedInterval(block.Body.Settlements[^1].IntervalStart);
            metrics.SetIntervalLagSeconds(GatewayMetrics.LagSeconds(view.NextInterval, p.IntervalSeconds, p.GraceSeconds, clock.NowMs / 1000));
        }
    }
}
