using System;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Clearing.Model;

namespace CommunityGrid.Chain.Validation;

/// <summary>
/// Checks and applies administrative transactions: signature, chain, the signer's role, the signer's nonce
/// (strictly increasing, so a captured transaction cannot be replayed), then the type's own rules.
/// </summary>
public static class AdminRules
{
    /// <summary>10^15 minor units (10^13 EUR at two digits): more than any community moves, and far below the balance bound.</summary>
    public const long MaxPaymentAmount = 1_000_000_000_000_000;

    /// <summary>
    /// Payments may not take a balance beyond ±10^18 minor units. That leaves 8 × 10^18 of headroom in an int64 for
    /// settlement, which changes a balance by at most 10^13 per interval (ClearingLimits: 10^10 Wh × 10^6 per kWh),
    /// so interval close cannot overflow a balance (docs/chain.md §5).
    /// </summary>
    public const long MaxBalance = 1_000_000_000_000_000_000;

    public static TxOutcome Execute(StateView state, Transaction tx)
    {
        AdminPayload payload = tx.Admin!;
        if (!tx.SignatureValid) return TxOutcome.Reject(RejectionReason.BadSignature, $"signature does not verify under kid {Hashes.Hex(tx.Signer)}");
        if (payload.ChainId != state.ChainId)
        {
            return TxOutcome.Reject(RejectionReason.WrongChain, $"transaction is for chain '{payload.ChainId}', this is '{state.ChainId}'");
        }
        bool authorised = payload.Type == TxType.EnrolMeter ? state.IsInstaller(tx.Signer) : state.IsTreasurer(tx.Signer);
        if (!authorised)
        {
            string role = payload.Type == TxType.EnrolMeter ? "an installer" : "a treasurer";
            return TxOutcome.Reject(RejectionReason.Unauthorized, $"{payload.Type} must be signed by {role} key; {Hashes.Hex(tx.Signer)} is not one");
        }
        long lastNonce = state.Nonce(tx.Signer);
        if (payload.Nonce <= lastNonce)
        {
            return TxOutcome.Reject(RejectionReason.ReplayedNonce, $"nonce {payload.Nonce} is not above the signer's last nonce {lastNonce}");
        }
        TxOutcome? problem = payload switch
        {
            EnrolMeterPayload enrol => Enrol(state, enrol),
            AdmitMemberPayload admit => Admit(state, admit),
            PaymentPayload payment => Pay(state, payment),
            _ => TxOutcome.Reject(RejectionReason.UnknownTxType, $"{payload.Type} has no rules yet"),
        };
        if (problem is not null) return problem;
        state.SetNonce(tx.Signer, payload.Nonce);
        return TxOutcome.Applied;
    }

    private static TxOutcome? Enrol(StateView state, EnrolMeterPayload e)
    {
        if (!Identifiers.IsEntityId(e.MeterId)) return Invalid($"meter id '{e.MeterId}' must be {Identifiers.EntityIdRule}");
        if (!state.IsMember(e.HouseId)) return TxOutcome.Reject(RejectionReason.UnknownHouse, $"house '{e.HouseId}' is not a member");
        if (state.Meter(e.MeterId) is not null) return TxOutcome.Reject(RejectionReason.MeterExists, $"meter '{e.MeterId}' is already enrolled");
        if (state.MeterKeyInUse(e.MeterKey)) return TxOutcome.Reject(RejectionReason.KeyInUse, $"meter key {Hashes.Hex(e.MeterKey)} is already enrolled");
        // Until the first reading, the last interval start holds the interval open at enrolment: the plausibility
        // bound of the first reading counts from there (ReadingRules, ImplausibleEnergy).
        state.AddMeter(e.MeterId, new MeterRecord(e.MeterKey, e.HouseId, e.Role, 0, state.NextInterval, e.InitialImportWh, e.InitialExportWh, e.InitialPvWh));
        return null;
    }

    private static TxOutcome? Admit(StateView state, AdmitMemberPayload a)
    {
        if (state.Parameters.Governance.MemberAdmission != Governance.MemberAdmission.Treasurer)
        {
            return TxOutcome.Reject(RejectionReason.Unauthorized, "on this chain members are admitted by a passed proposal (memberAdmission = vote), not by the treasurer");
        }
        if (!Identifiers.IsEntityId(a.HouseId)) return Invalid($"house id '{a.HouseId}' must be {Identifiers.EntityIdRule}");
        if (state.IsMember(a.HouseId)) return TxOutcome.Reject(RejectionReason.HouseExists, $"house '{a.HouseId}' is already a member");
        if (state.MemberKeyInUse(a.MemberKey)) return TxOutcome.Reject(RejectionReason.KeyInUse, $"member key {Hashes.Hex(a.MemberKey)} belongs to another house");
        if (state.MemberCount() >= ClearingLimits.MaxHouses)
        {
            return TxOutcome.Reject(RejectionReason.CommunityFull, $"the community has {ClearingLimits.MaxHouses} houses, the most one interval's settlement takes");
        }
        state.AddMember(a.HouseId, a.MemberKey);
        return null;
    }

    private static TxOutcome? Pay(StateView state, PaymentPayload p)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(p.Reference) > PaymentPayload.MaxReferenceBytes)
        {
            return Invalid($"reference is longer than {PaymentPayload.MaxReferenceBytes} UTF-8 bytes");
        }
        if (!state.IsMember(p.HouseId)) return TxOutcome.Reject(RejectionReason.UnknownHouse, $"house '{p.HouseId}' is not a member");
        if (p.Amount is < 1 or > MaxPaymentAmount)
        {
            return TxOutcome.Reject(RejectionReason.AmountOutOfRange, $"amount {p.Amount} must be 1..{MaxPaymentAmount} minor units");
        }
        long balance = state.Balance(p.HouseId);
        long delta = p.Kind == PaymentKind.Deposit ? p.Amount : -p.Amount;
        Int128 updated = (Int128)balance + delta;
        if (updated > MaxBalance || updated < -MaxBalance)
        {
            return TxOutcome.Reject(RejectionReason.AmountOutOfRange, $"balance {balance} {(delta > 0 ? "+" : "")}{delta} would leave ±{MaxBalance}");
        }
        state.SetBalance(p.HouseId, (long)updated);
        return null;
    }

    private static TxOutcome Invalid(string detail) => TxOutcome.Reject(RejectionReason.InvalidField, detail);
}
