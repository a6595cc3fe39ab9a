using System;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Storage;

namespace CommunityGrid.Api.Tests.Support;

/// <summary>
/// A stand-in for the node: one lock serialises reads with appends, and every submitted transaction that
/// applies is sealed into a block of its own at once, so its effect is visible to the next GET.
/// </summary>
public sealed class StoreBackend(ChainStore store, Ed25519Signer validator) : IGatewayBackend
{
    private readonly object gate = new();

    /// <summary>How far after the tip each new block is timed.</summary>
    public long BlockStepMs { get; set; } = 1000;

    public GatewayMetrics Metrics { get; } = new();

    public string ChainId => store.Genesis.ChainId;

    public T Read<T>(Func<ChainStore, T> query)
    {
        lock (gate) return query(store);
    }

    public SubmitOutcome Submit(byte[] transaction)
    {
        lock (gate)
        {
            Produced produced = BlockProducer.Produce(store.State, [transaction], store.State.TipTimeMs + BlockStepMs, validator);
            MempoolOutcome outcome = Assert.Single(produced.Outcomes);
            string? meterId = Transaction.TryDecode(transaction, out _)?.Reading?.MeterId;
            if (outcome.Outcome.Status == TxStatus.Rejected)
            {
                if (meterId is not null) Metrics.RecordReadingRejected(meterId, outcome.Outcome.Reason.ToString()!);
                return new SubmitOutcome(false, Hashes.Hex(outcome.TxId), $"{outcome.Outcome.Reason}: {outcome.Outcome.Detail}");
            }
            if (produced.Block is { } block)
            {
                store.Append(block);
                Metrics.SetHeight(store.Height);
                if (meterId is not null) Metrics.RecordReadingAccepted(meterId);
            }
            return new SubmitOutcome(true, Hashes.Hex(outcome.TxId), null);
        }
    }
}
