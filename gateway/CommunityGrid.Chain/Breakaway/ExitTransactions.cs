using System;
using System.Collections.Generic;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Breakaway;

/// <summary>
/// Checks and applies a house's exit (signed by its member key) and the treasurer's settling payments against a
/// final exit record. The order is that of every administrative transaction: signature, chain, the signer's right,
/// nonce, then the type's own rules (docs/chain.md §4, docs/breakaway.md §3).
/// </summary>
public static class ExitTransactions
{
    public static bool Handles(TxType type) => type is TxType.Exit or TxType.ExitSettlement;

    public static TxOutcome Execute(StateView state, Transaction tx)
    {
        AdminPayload payload = tx.Admin!;
        if (!tx.SignatureValid) return Reject(RejectionReason.BadSignature, $"signature does not verify under kid {Hashes.Hex(tx.Signer)}");
        if (payload.ChainId != state.ChainId)
        {
            return Reject(RejectionReason.WrongChain, $"transaction is for chain '{payload.ChainId}', this is '{state.ChainId}'");
        }
        string? house = null;
        if (payload is ExitPayload)
        {
            house = state.HouseOfMemberKey(tx.Signer);
            if (house is null)
            {
                return Reject(RejectionReason.Unauthorized,
                    $"an exit must be signed by the leaving house's member key; {Hashes.Hex(tx.Signer)} is not a member key (a house whose exit is final is no longer a member)");
            }
        }
        else if (!state.IsTreasurer(tx.Signer))
        {
            return Reject(RejectionReason.Unauthorized, $"an exit settlement must be signed by a treasurer key; {Hashes.Hex(tx.Signer)} is not one");
        }
        long lastNonce = state.Nonce(tx.Signer);
        if (payload.Nonce <= lastNonce) return Reject(RejectionReason.ReplayedNonce, $"nonce {payload.Nonce} is not above the signer's last nonce {lastNonce}");
        TxOutcome? problem = payload switch
        {
            ExitPayload exit => Leave(state, tx.Id, tx.Signer, house!, exit),
            ExitSettlementPayload settlement => Settle(state, settlement),
            _ => Reject(RejectionReason.UnknownTxType, $"{payload.Type} is not an exit transaction"),
        };
        if (problem is not null) return problem;
        state.SetNonce(tx.Signer, payload.Nonce);
        return TxOutcome.Applied;
    }

    private static TxOutcome? Leave(StateView state, byte[] txId, byte[] memberKey, string house, ExitPayload e)
    {
        if (!Identifiers.IsChainId(e.NewChainId) || e.NewChainId == state.ChainId)
        {
            return Reject(RejectionReason.InvalidField, $"new community id '{e.NewChainId}' must be {Identifiers.ChainIdRule} and differ from this chain's id");
        }
        ChainParameters p = state.Parameters;
        if (e.ExitIntervalStart % p.IntervalSeconds != 0)
        {
            return Reject(RejectionReason.InvalidField, $"exit interval {e.ExitIntervalStart} is not the start of an interval (a multiple of {p.IntervalSeconds} s)");
        }
        if (state.Exit(house) is { } earlier)
        {
            return Reject(RejectionReason.AlreadyExited, $"house '{house}' already signed its exit to '{earlier.NewChainId}' from interval {earlier.ExitIntervalStart}");
        }
        long next = state.NextInterval;
        // Strictly after the open interval: the exit then becomes final at a boundary still to come, together with
        // every other exit from the same interval, so the fund share does not depend on their order in the block.
        if (e.ExitIntervalStart <= next)
        {
            return Reject(RejectionReason.ExitBackdated,
                $"exit interval {e.ExitIntervalStart} has {(e.ExitIntervalStart < next ? "closed" : "already opened")}; the earliest a house can leave from is {next + p.IntervalSeconds}");
        }
        string? reported = EnergyFromExitOn(state, house, e.ExitIntervalStart);
        if (reported is not null) return Reject(RejectionReason.ExitBackdated, $"{reported}; choose a later exit interval");
        state.PutExit(house, new ExitRecord(e.NewChainId, e.ExitIntervalStart, txId, memberKey, ExitStatus.Announced, 0, 0, []));
        state.Overlay.Set(ExitKeys.Due(e.ExitIntervalStart, house), StateValues.True());
        return null;
    }

    /// <summary>Energy already counted in the old chain at or after the exit interval would be counted again by the new one.</summary>
    private static string? EnergyFromExitOn(StateView state, string house, long exitStart)
    {
        foreach (KeyValuePair<string, byte[]> pending in state.WithPrefix(StateKeys.PendingPrefix))
        {
            long start = GovernanceKeys.PaddedNumber(pending.Key, StateKeys.PendingPrefix.Length);
            if (start >= exitStart && pending.Key.EndsWith("/" + house, StringComparison.Ordinal))
            {
                return $"house '{house}' already has energy pending in interval {start}";
            }
        }
        foreach (ExitMeter m in MetersOf(state, house))
        {
            if (m.Meter.LastSequence > 0 && m.Meter.LastIntervalStart >= exitStart)
            {
                return $"meter '{m.MeterId}' already reported interval {m.Meter.LastIntervalStart}";
            }
        }
        return null;
    }

    /// <summary>The house's meters, sorted by meter id (state order).</summary>
    public static List<ExitMeter> MetersOf(StateView state, string house)
    {
        var meters = new List<ExitMeter>();
        const string prefix = "meter/";
        foreach (KeyValuePair<string, byte[]> entry in state.WithPrefix(prefix))
        {
            MeterRecord meter = MeterRecord.Decode(entry.Value);
            if (meter.HouseId == house) meters.Add(new ExitMeter(entry.Key[prefix.Length..], meter));
        }
        return meters;
    }

    private static TxOutcome? Settle(StateView state, ExitSettlementPayload s)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(s.Reference) > ExitSettlementPayload.MaxReferenceBytes)
        {
            return Reject(RejectionReason.InvalidField, $"reference is longer than {ExitSettlementPayload.MaxReferenceBytes} UTF-8 bytes");
        }
        ExitRecord? exit = state.Exit(s.HouseId);
        if (exit is not { Status: ExitStatus.Final })
        {
            return Reject(RejectionReason.UnknownExit, exit is null
                ? $"house '{s.HouseId}' has no exit record"
                : $"house '{s.HouseId}' leaves from interval {exit.ExitIntervalStart}; its balance is fixed, and can be settled, once the intervals before have closed");
        }
        if (s.Amount is < 1 or > AdminRules.MaxPaymentAmount)
        {
            return Reject(RejectionReason.AmountOutOfRange, $"amount {s.Amount} must be 1..{AdminRules.MaxPaymentAmount} minor units");
        }
        long settled = state.ExitSettled(s.HouseId);
        long open = checked(exit.Owed - settled);
        if (open == 0) return Reject(RejectionReason.ExitClosed, $"the exit record of '{s.HouseId}' is settled and closed");
        bool toHouse = s.Kind == ExitSettlementKind.PaidToHouse;
        if (toHouse != open > 0 || s.Amount > Math.Abs(open))
        {
            string who = open > 0 ? $"the community owes the house {open}" : $"the house owes the community {-open}";
            return Reject(RejectionReason.ExceedsOpenAmount, $"{who}; a payment {(toHouse ? "to" : "from")} the house of {s.Amount} does not fit");
        }
        state.SetExitSettled(s.HouseId, toHouse ? settled + s.Amount : settled - s.Amount);
        return null;
    }

    private static TxOutcome Reject(RejectionReason reason, string detail) => TxOutcome.Reject(reason, detail);
}
