using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Readings;

namespace CommunityGrid.Chain.Validation;

/// <summary>
/// Checks and applies a meter reading against the state, relative to the block's time (never the wall clock).
/// Checks come in the order documented in docs/chain.md; the first failing one names the rejection.
/// </summary>
public static class ReadingRules
{
    public static TxOutcome Execute(StateView state, Transaction tx, long blockTimeMs)
    {
        TxOutcome? problem = Check(state, tx, blockTimeMs, out MeterRecord? meter);
        if (problem is not null) return problem;
        Apply(state, tx, meter!);
        return TxOutcome.Applied;
    }

    private static TxOutcome? Check(StateView state, Transaction tx, long blockTimeMs, out MeterRecord? meter)
    {
        MeterReading r = tx.Reading!;
        meter = null;
        if (r.ChainId != state.ChainId) return Reject(RejectionReason.WrongChain, $"reading is for chain '{r.ChainId}', this is '{state.ChainId}'");
        if (!tx.SignatureValid) return Reject(RejectionReason.BadSignature, $"signature does not verify under kid {Hashes.Hex(tx.Signer)}");
        meter = state.Meter(r.MeterId);
        if (meter is null) return Reject(RejectionReason.UnknownMeter, $"meter '{r.MeterId}' is not enrolled");
        if (!Hashes.Equal(meter.PublicKey, tx.Signer))
        {
            return Reject(RejectionReason.WrongMeterKey, $"meter '{r.MeterId}' is enrolled with key {Hashes.Hex(meter.PublicKey)}, reading signed by {Hashes.Hex(tx.Signer)}");
        }
        ChainParameters p = state.Parameters;
        if (r.IntervalLengthSeconds != p.IntervalSeconds)
        {
            return Reject(RejectionReason.WrongIntervalLength, $"interval length {r.IntervalLengthSeconds} s, the chain settles every {p.IntervalSeconds} s");
        }
        long intervalEndMs = (r.IntervalStart + r.IntervalLengthSeconds) * 1000;
        if (intervalEndMs < blockTimeMs - p.RetentionSeconds * 1000L)
        {
            return Reject(RejectionReason.StaleInterval, $"interval ending {intervalEndMs} ms is older than the {p.RetentionSeconds} s retention window at block time {blockTimeMs}");
        }
        if (intervalEndMs > blockTimeMs + p.FutureToleranceSeconds * 1000L)
        {
            return Reject(RejectionReason.FutureInterval, $"interval ends at {intervalEndMs} ms, more than {p.FutureToleranceSeconds} s after block time {blockTimeMs}");
        }
        if (r.Sequence <= meter.LastSequence)
        {
            byte[]? applied = state.RecentTxId(r.IntervalStart, r.MeterId, r.Sequence);
            if (applied is not null && Hashes.Equal(applied, tx.Id)) return TxOutcome.Duplicate($"reading {Hashes.Hex(tx.Id)} is already in the chain");
            return Reject(RejectionReason.ReplayedSequence, $"sequence {r.Sequence} is not above the last accepted {meter.LastSequence}");
        }
        if (meter.LastSequence > 0 && r.IntervalStart < meter.LastIntervalStart)
        {
            return Reject(RejectionReason.IntervalOutOfOrder, $"interval {r.IntervalStart} is before the last accepted interval {meter.LastIntervalStart}");
        }
        if (r.ImportWh < meter.ImportWh || r.ExportWh < meter.ExportWh || r.PvWh < meter.PvWh)
        {
            return Reject(RejectionReason.DecreasingRegister,
                $"registers import/export/pv {r.ImportWh}/{r.ExportWh}/{r.PvWh} Wh fall below the last accepted {meter.ImportWh}/{meter.ExportWh}/{meter.PvWh}");
        }
        return null;
    }

    /// <summary>
    /// The missing-reading rule lives here: the delta since the meter's previous accepted registers lands in the
    /// interval the reading names, or in the earliest open interval if that one has closed. Energy is never lost.
    /// </summary>
    private static void Apply(StateView state, Transaction tx, MeterRecord meter)
    {
        MeterReading r = tx.Reading!;
        if (meter.Role == MeterRole.ConnectionPoint)
        {
            long target = r.IntervalStart < state.NextInterval ? state.NextInterval : r.IntervalStart;
            PendingEnergy before = state.Pending(target, meter.HouseId) ?? new PendingEnergy(0, 0);
            state.SetPending(target, meter.HouseId, new PendingEnergy(
                checked(before.ImportWh + (r.ImportWh - meter.ImportWh)),
                checked(before.ExportWh + (r.ExportWh - meter.ExportWh))));
        }
        state.PutMeter(r.MeterId, meter with
        {
            LastSequence = r.Sequence,
            LastIntervalStart = r.IntervalStart,
            ImportWh = r.ImportWh,
            ExportWh = r.ExportWh,
            PvWh = r.PvWh,
        });
        state.AddRecent(r.IntervalStart, r.MeterId, r.Sequence, tx.Id);
    }

    private static TxOutcome Reject(RejectionReason reason, string detail) => TxOutcome.Reject(reason, detail);
}
