using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Api;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Display;
using CommunityGrid.Node.Proofs;
using CommunityGrid.Node.Mempool;
using CommunityGrid.Node.Timing;
using CommunityGrid.Storage;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Production;

/// <summary>
/// One round of block production for a validator set of one: take the mempool's oldest candidates, let the chain
/// core build and sign the next block at max(clock, tip + 1 ms), append it durably, and only then release acks and
/// display data. Runs under the store lock, which the HTTP API's reads share.
/// A full disk (SQLITE_FULL) fails the append before anything is acknowledged or removed from the mempool; the
/// store rolls the block back, so the next round builds it again from the same candidates. It is logged once per
/// episode (not every round) and shown by <see cref="StorageFull"/> until a block is stored again.
/// </summary>
/// <param name="dataDirectory">Where the database lives, named in the disk-full message.</param>
/// <param name="retryPeriod">The production period, named in the disk-full message; null when rounds are run by hand.</param>
/// <param name="rejections">Where every transaction dropped at block time is recorded with its reason (GET /transactions/{id}).</param>
public sealed class BlockProduction(
    ChainStore store, object storeLock, TransactionPool pool, Ed25519Signer validator, IClock clock,
    AckSender acks, DisplaySender displays, ProofSender proofs, GatewayMetrics metrics, ILogger logger, string dataDirectory, TimeSpan? retryPeriod,
    RejectedTransactions? rejections = null)
{
    /// <summary>Candidates offered per round; the producer stops at its own per-block limit and the rest wait.</summary>
    private const int CandidatesPerRound = BlockProducer.DefaultMaxTransactions * 2;

    // Written under the store lock by the producing thread, read by anyone (status, tests).
    private volatile bool storageFull;

    /// <summary>True from a block failing to store for a full disk until a block is stored again.</summary>
    public bool StorageFull => storageFull;

    public ProductionReport ProduceOnce()
    {
        List<PendingTransaction> candidates = pool.Oldest(CandidatesPerRound);
        ProductionReport report;
        lock (storeLock)
        {
            ChainState state = store.State;
            long timeMs = Math.Max(clock.NowMs, state.TipTimeMs + 1);
            if (candidates.Count == 0 && !BlockProducer.IntervalCloseDue(state, timeMs)) return ProductionReport.Nothing;
            Produced produced = BlockProducer.Produce(state, candidates.Select(c => c.Bytes).ToList(), timeMs, validator);
            if (produced.Prepared is not null) Append(produced.Prepared);
            report = Settle(produced, candidates, timeMs);
            pool.Remove(produced.Outcomes.Select(o => candidates[o.Index].IdHex));
            UpdateMetrics(produced.Block);
        }
        acks.EnqueueAll(report.Acks);
        if (report.Block is { } block)
        {
            displays.BlockCommitted(block);
            proofs.BlockCommitted(block);
            logger.LogInformation("block committed height={Height} time={TimeMs} txs={Applied} settlements={Settlements} rejected={Rejected} duplicates={Duplicates} mempool={Pending}",
                block.Height, block.Header.TimeMs, report.Applied, block.Body.Settlements.Count, report.Rejected, report.Duplicates, pool.Count);
        }
        return report;
    }

    private void Append(PreparedBlock prepared)
    {
        Block block = prepared.Block;
        try
        {
            store.Append(prepared);
        }
        catch (Exception e) when (ChainStore.IsFull(e))
        {
            // Nothing of this block is stored, acknowledged or dropped from the mempool; rethrown so a caller running
            // rounds by hand sees it. The loop stays quiet about it, so this is the episode's one error line.
            if (!storageFull)
            {
                storageFull = true;
                metrics.SetStorageFull(true);
                string retry = retryPeriod is { } p
                    ? $"every {p.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s"
                    : "at every production round";
                logger.LogError("disk full: cannot store block {Height} in {Directory}; free space there — the gateway retries {Retry} and loses nothing; meters keep their readings until acked. SQLite: {Error}",
                    block.Height, dataDirectory, retry, e.Message);
            }
            throw;
        }
        if (storageFull)
        {
            storageFull = false;
            metrics.SetStorageFull(false);
            logger.LogWarning("disk has room again: block {Height} stored in {Directory}; the held readings are being acknowledged", block.Height, dataDirectory);
        }
    }

    /// <summary>Turns each candidate's outcome into an ack (readings) and a log line; called after the append succeeded.</summary>
    private ProductionReport Settle(Produced produced, List<PendingTransaction> candidates, long blockTimeMs)
    {
        // Each applied transaction's position in the block, found by its bytes (the very array the candidate carried into
        // the block) rather than by making a hex id for every transaction; one that is not found is looked up by id.
        var positions = new Dictionary<byte[], int>(ReferenceEqualityComparer.Instance);
        if (produced.Prepared is { } prepared)
        {
            for (int i = 0; i < prepared.Transactions.Count; i++) positions[prepared.Transactions[i].Bytes] = i;
        }
        var released = new List<ReadingAck>();
        int applied = 0, rejected = 0, duplicates = 0;
        foreach (MempoolOutcome o in produced.Outcomes)
        {
            PendingTransaction tx = candidates[o.Index];
            TxOutcome outcome = o.Outcome;
            ReadingAck? ack = null;
            switch (outcome.Status)
            {
                case TxStatus.Applied:
                    applied++;
                    if (tx.MeterId is { } meter)
                    {
                        metrics.RecordReadingAccepted(meter);
                        metrics.SetLastReading(meter, blockTimeMs / 1000);
                        ack = new ReadingAck(store.Genesis.ChainId, meter, tx.Sequence, AckStatus.Committed, produced.Block!.Height, PositionInBlock(positions, produced.Prepared, tx), null);
                    }
                    break;
                case TxStatus.AlreadyApplied:
                    duplicates++;
                    StoredTransaction? first = store.GetTransaction(Convert.FromHexString(tx.IdHex));
                    if (tx.MeterId is { } dupMeter && first is not null)
                    {
                        ack = new ReadingAck(store.Genesis.ChainId, dupMeter, tx.Sequence, AckStatus.AlreadyCommitted, first.Height, first.Index, null);
                    }
                    break;
                default:
                    rejected++;
                    string reason = outcome.Reason!.Value.ToString();
                    if (tx.MeterId is { } badMeter)
                    {
                        metrics.RecordReadingRejected(badMeter, reason);
                        ack = ReadingAck.Rejected(store.Genesis.ChainId, badMeter, tx.Sequence, store.Height, $"{reason}: {outcome.Detail}");
                    }
                    rejections?.Record(new RejectedTransaction(tx.IdHex, outcome.Reason.Value, outcome.Detail, store.Height));
                    logger.LogInformation("{Type} rejected by the chain meter={MeterId} seq={Sequence} tx={TxId} reason={Reason} detail={Detail}",
                        tx.Type, tx.MeterId ?? "-", tx.Sequence, tx.IdHex, reason, outcome.Detail);
                    break;
            }
            if (ack is not null) released.Add(ack);
            else if (tx.Type != TxType.Reading && outcome.Status != TxStatus.Rejected)
            {
                logger.LogInformation("{Type} {Status} tx={TxId}", tx.Type, outcome.Status, tx.IdHex);
            }
        }
        return new ProductionReport(produced.Block, released, applied, rejected, duplicates);
    }

    private static int PositionInBlock(Dictionary<byte[], int> positions, PreparedBlock? prepared, PendingTransaction tx)
    {
        if (positions.TryGetValue(tx.Bytes, out int position)) return position;
        for (int i = 0; i < (prepared?.Transactions.Count ?? 0); i++)
        {
            if (prepared!.Transactions[i].IdHex == tx.IdHex) return i;
        }
        throw new KeyNotFoundException($"applied transaction {tx.IdHex} is not in its block");
    }

    private void UpdateMetrics(Block? block)
    {
        metrics.SetHeight(store.Height);
        StateView view = store.State.View();
        ChainParameters p = view.Parameters;
        if (block is not null && block.Body.Settlements.Count > 0) metrics.SetLastClosedInterval(block.Body.Settlements[^1].IntervalStart);
        metrics.SetIntervalLagSeconds(GatewayMetrics.LagSeconds(view.NextInterval, p.IntervalSeconds, p.GraceSeconds, clock.NowMs / 1000));
    }
}
