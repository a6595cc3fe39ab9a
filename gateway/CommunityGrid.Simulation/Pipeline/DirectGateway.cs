using System;
using System.Collections.Generic;
using System.Diagnostics;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Storage;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The chain core driven directly, as a single-validator gateway would: a mempool in arrival order, a block every
/// <see cref="BlockPeriodMs"/> while there is something to include or whenever an interval is due to close
/// (BlockProducer.Produce), each block made durable with ChainStore.Append before its readings are acknowledged.
/// </summary>
public sealed class DirectGateway : IDisposable
{
    private readonly string databasePath;
    private readonly GenesisDocument genesis;
    private readonly SettlementCatalog catalog;
    private readonly Ed25519Signer validator;
    private readonly List<Pending> mempool = [];
    private readonly HashSet<string> inMempool = new(StringComparer.Ordinal);
    private ChainStore store;
    private long lastBlockMs;

    public DirectGateway(string databasePath, GenesisDocument genesis, SettlementCatalog catalog, Ed25519Signer validator, long blockPeriodMs = 60_000)
    {
        this.databasePath = databasePath;
        this.genesis = genesis;
        this.catalog = catalog;
        this.validator = validator;
        BlockPeriodMs = blockPeriodMs;
        store = ChainStore.Open(databasePath, genesis, VerifyMode.Full, catalog);
    }

    public long BlockPeriodMs { get; }
    public ChainStore Store => store;
    public TransportStats Stats { get; } = new();

    /// <param name="meterId">Null for an administrative transaction (nothing to acknowledge).</param>
    public void Receive(byte[] transaction, string? meterId, long sequence)
    {
        // A resend of something still waiting changes nothing; once committed, a resend is acknowledged as a duplicate.
        string key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(transaction));
        if (!inMempool.Add(key)) return;
        mempool.Add(new Pending(transaction, key, meterId, sequence));
    }

    /// <summary>Makes the block due at <paramref name="nowMs"/>, if any, and returns the acknowledgements it earns.</summary>
    public IReadOnlyList<ReadingAck> Tick(long nowMs)
    {
        var acks = new List<ReadingAck>();
        bool periodElapsed = mempool.Count > 0 && nowMs - lastBlockMs >= BlockPeriodMs;
        long blockTime = Math.Max(nowMs, store.State.TipTimeMs + 1);
        if (!periodElapsed && !BlockProducer.IntervalCloseDue(store.State, blockTime)) return acks;

        var candidates = new List<byte[]>(mempool.Count);
        foreach (Pending p in mempool) candidates.Add(p.Bytes);
        Produced produced = BlockProducer.Produce(store.State, candidates, blockTime, validator);
        if (produced.Prepared is not null)
        {
            store.Append(produced.Prepared);
            Stats.Blocks++;
            lastBlockMs = nowMs;
        }
        var decided = new bool[mempool.Count];
        foreach (MempoolOutcome outcome in produced.Outcomes)
        {
            Pending p = mempool[outcome.Index];
            decided[outcome.Index] = true;
            switch (outcome.Outcome.Status)
            {
                case TxStatus.Applied:
                    if (p.MeterId is not null) { Stats.ReadingsAccepted++; acks.Add(new ReadingAck(p.MeterId, p.Sequence)); }
                    break;
                case TxStatus.AlreadyApplied:
                    Stats.Duplicates++;
                    if (p.MeterId is not null) acks.Add(new ReadingAck(p.MeterId, p.Sequence));
                    break;
                default:
                    string reason = outcome.Outcome.Reason?.ToString() ?? "Unknown";
                    Stats.Rejections[reason] = Stats.Rejections.GetValueOrDefault(reason) + 1;
                    break;
            }
        }
        // Candidates beyond the block's capacity got no outcome: they wait for the next block.
        var waiting = new List<Pending>();
        for (int i = 0; i < mempool.Count; i++)
        {
            if (!decided[i]) waiting.Add(mempool[i]);
            else inMempool.Remove(mempool[i].Key);
        }
        mempool.Clear();
        mempool.AddRange(waiting);
        return acks;
    }

    /// <summary>A gateway restart: the mempool is lost (meters resend), the store is closed and reopened with full verification.</summary>
    public TimeSpan Restart()
    {
        var timer = Stopwatch.StartNew();
        store.Dispose();
        mempool.Clear();
        inMempool.Clear();
        store = ChainStore.Open(databasePath, genesis, VerifyMode.Full, catalog);
        Stats.Restarts++;
        return timer.Elapsed;
    }

    public void Dispose() => store.Dispose();

    private sealed record Pending(byte[] Bytes, string Key, string? MeterId, long Sequence);
}
