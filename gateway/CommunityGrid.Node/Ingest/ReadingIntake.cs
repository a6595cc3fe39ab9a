using CommunityGrid.Api;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Mempool;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Node.Ingest;

public enum IntakeResult
{
    Queued,
    AlreadyPending,
    /// <summary>
    /// The mempool is full, or holds the meter's order behind an earlier reading it refused: not acknowledged, so
    /// the meter sends it again later.
    /// </summary>
    PoolFull,
    Rejected,
}

/// <summary>
/// Where a reading from a meter's readings topic enters the node. Stateless checks run here; a reading that
/// fails them is acknowledged as rejected at once (nothing about it will ever be committed), one that passes
/// waits in the mempool for the block producer, which acknowledges it after its block is durable.
/// </summary>
public sealed class ReadingIntake(string chainId, TransactionPool pool, AckSender acks, GatewayMetrics metrics, System.Func<long> height, ILogger logger)
{
    /// <param name="topicMeterId">The meter whose readings topic the message came on (its login, on the embedded broker).</param>
    public IntakeResult Offer(string topicMeterId, byte[] message)
    {
        TxOutcome? rejection = TransactionScreen.Screen(message, chainId, out Transaction? tx);
        if (tx is not null && rejection is null)
        {
            if (tx.Type != TxType.Reading)
            {
                rejection = TxOutcome.Reject(RejectionReason.UnknownTxType, $"a {tx.Type} transaction came on a readings topic; only readings are taken over MQTT");
            }
            else if (tx.Reading!.MeterId != topicMeterId)
            {
                rejection = TxOutcome.Reject(RejectionReason.InvalidField, $"the reading names meter '{tx.Reading.MeterId}' but came on the topic of meter '{topicMeterId}'");
            }
        }
        if (rejection is not null)
        {
            Reject(topicMeterId, tx?.Reading?.Sequence ?? LenientReadingPeek.TrySequence(message), rejection);
            return IntakeResult.Rejected;
        }
        PoolAdmission admission = pool.Add(PendingTransaction.Of(tx!), out bool waitsForEarlier);
        if (admission == PoolAdmission.Full)
        {
            if (waitsForEarlier)
            {
                logger.LogInformation("reading not taken, an earlier one of its meter was refused and has not come back meter={MeterId} seq={Sequence}", topicMeterId, tx!.Reading!.Sequence);
            }
            else
            {
                logger.LogWarning("mempool full ({Capacity}); reading not taken meter={MeterId} seq={Sequence}", pool.Capacity, topicMeterId, tx!.Reading!.Sequence);
            }
            return IntakeResult.PoolFull;
        }
        return admission == PoolAdmission.Added ? IntakeResult.Queued : IntakeResult.AlreadyPending;
    }

    private void Reject(string meterId, long? sequence, TxOutcome rejection)
    {
        string reason = rejection.Reason!.Value.ToString();
        metrics.RecordReadingRejected(meterId, reason);
        logger.LogInformation("reading rejected at intake meter={MeterId} seq={Sequence} reason={Reason} detail={Detail}",
            meterId, sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", reason, rejection.Detail);
        if (sequence is { } s) acks.Enqueue(ReadingAck.Rejected(chainId, meterId, s, height(), $"{reason}: {rejection.Detail}"));
    }
}
