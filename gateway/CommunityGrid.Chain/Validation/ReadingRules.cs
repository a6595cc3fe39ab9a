using System;
using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Clearing.Model;
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
        // Whether this is a resend of the committed reading (a duplicate, acknowledged again) is not a question for the
        // state: a block may hold neither. Proposals ask the store (BlockExecutor.IsResend, chain.md §4).
        if (r.Sequence <= meter.LastSequence)
        {
            return Reject(RejectionReason.ReplayedSequence, $"sequence {r.Sequence} is not above the last accepted {meter.LastSequence}");
        }
        if (state.RetiringExit(meter.HouseId, r.IntervalStart) is { } exit)
        {
            return Reject(RejectionReason.MeterRetired,
                $"house '{meter.HouseId}' left for '{exit.NewChainId}' from interval {exit.ExitIntervalStart}; meter '{r.MeterId}' is retired on this chain{(exit.Status == ExitStatus.Final ? "" : $" from that interval on")}. Move the meter to its new chain");
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
        return CheckPlausible(state, r, meter, p);
    }

    /// <summary>
    /// No register may advance faster than the connection's rated power over the intervals since the meter's previous
    /// reading (before the first one: since the interval that was open when it was enrolled), and a house's energy in
    /// one interval must stay within what settlement takes. Registers are non-negative and not decreasing here, so
    /// the deltas cannot overflow. docs/chain.md §4, ImplausibleEnergy.
    /// </summary>
    private static TxOutcome? CheckPlausible(StateView state, MeterReading r, MeterRecord meter, ChainParameters p)
    {
        long intervals = Math.Max(1, (r.IntervalStart - meter.LastIntervalStart) / p.IntervalSeconds + (meter.LastSequence == 0 ? 1 : 0));
        long allowed = p.MaxEnergyWh(intervals);
        long import = r.ImportWh - meter.ImportWh, export = r.ExportWh - meter.ExportWh, pv = r.PvWh - meter.PvWh;
        if (import > allowed || export > allowed || pv > allowed)
        {
            return Reject(RejectionReason.ImplausibleEnergy,
                $"registers import/export/pv advanced {import}/{export}/{pv} Wh over {intervals} interval(s); a {p.MaxConnectionPowerW} W connection allows at most {allowed} Wh. " +
                "Check the meter's sensor, or enrol it with the registers it shows");
        }
        if (meter.Role != MeterRole.ConnectionPoint) return null;
        PendingEnergy before = state.Pending(TargetInterval(state, r), meter.HouseId) ?? new PendingEnergy(0, 0);
        if (import > ClearingLimits.MaxEnergyWh - before.ImportWh || export > ClearingLimits.MaxEnergyWh - before.ExportWh)
        {
            return Reject(RejectionReason.ImplausibleEnergy,
                $"house '{meter.HouseId}' would have {before.ImportWh}+{import} Wh import / {before.ExportWh}+{export} Wh export in one interval; settlement takes at most {ClearingLimits.MaxEnergyWh} Wh");
        }
        return null;
    }

    /// <summary>The interval a connection-point reading's energy lands in: the one it names, or the earliest open one.</summary>
    private static long TargetInterval(StateView state, MeterReading r) => r.IntervalStart < state.NextInterval ? state.NextInterval : r.IntervalStart;

    /// <summary>
    /// The missing-reading rule lives here: the delta since the meter's previous accepted registers lands in the
    /// interval the reading names, or in the earliest open interval if that one has closed. Energy is never lost.
    /// </summary>
    private static void Apply(StateView state, Transaction tx, MeterRecord meter)
    {
        MeterReading r = tx.Reading!;
        if (meter.Role == MeterRole.ConnectionPoint)
        {
            long target = TargetInterval(state, r);
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
    }

    private static TxOutcome Reject(RejectionReason reason, string detail) => TxOutcome.Reject(reason, detail);
}
