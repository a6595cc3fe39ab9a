using System;
using System.Security.Cryptography;
using System.Threading;
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
/// Where a reading from a meter's readings topic enters the node. First the cheap question whether the mempool can
/// take it at all (capacity, the meter's order), before the reading is decoded or its signature checked: when ingest
/// outruns production most publishes are resends the pool refuses. Then the stateless checks; a reading that
/// fails them is acknowledged as rejected at once (nothing about it will ever be committed), one that passes
/// waits in the mempool for the block producer, which acknowledges it after its block is durable.
/// A full mempool is logged once per episode (until the pool takes a reading again), not once per refused publish.
/// </summary>
public sealed class ReadingIntake(string chainId, TransactionPool pool, AckSender acks, GatewayMetrics metrics, System.Func<long> height, ILogger logger)
{
    private int fullEpisode;

    /// <param name="topicMeterId">The meter whose readings topic the message came on (its login, on the embedded broker).</param>
    public IntakeResult Offer(string topicMeterId, byte[] message)
    {
        string? idHex = null;
        if (LenientReadingPeek.TrySequence(message) is { } sequence
            && pool.RefuseBeforeDecoding(idHex = Convert.ToHexStringLower(SHA256.HashData(message)), topicMeterId, sequence, out bool mustWait) == PoolAdmission.Full)
        {
            return Refused(topicMeterId, sequence, mustWait);
        }
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
        // The id made for the capacity check above is the same SHA-256 of the same bytes: not made a second time.
        PoolAdmission admission = pool.Add(idHex is null ? PendingTransaction.Of(tx!) : PendingTransaction.Of(tx!, idHex), out bool waitsForEarlier);
        if (admission == PoolAdmission.Full) return Refused(topicMeterId, tx!.Reading!.Sequence, waitsForEarlier);
        if (admission == PoolAdmission.Added) Interlocked.Exchange(ref fullEpisode, 0);
        return admission == PoolAdmission.Added ? IntakeResult.Queued : IntakeResult.AlreadyPending;
    }

    private IntakeResult Refused(string meterId, long sequence, bool waitsForEarlier)
    {
        if (waitsForEarlier)
        {
            logger.LogDebug("reading not taken, an earlier one of its meter was refused and has not come back meter={MeterId} seq={Sequence}", meterId, sequence);
        }
        else if (Interlocked.Exchange(ref fullEpisode, 1) == 0)
        {
            logger.LogWarning("mempool full ({Capacity}); readings are not taken until blocks make room, meters send them again (first refused: meter={MeterId} seq={Sequence})",
                pool.Capacity, meterId, sequence);
        }
        return IntakeResult.PoolFull;
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
