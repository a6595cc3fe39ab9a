using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Governance;

/// <summary>
/// Whether a proposal's effect can apply to a state, and applying it. The same check runs when the proposal is
/// made (so a member learns at once that it could never apply) and again when its boundary comes (the state may
/// have changed meanwhile; then the proposal is marked <see cref="ProposalStatus.NotApplicable"/>).
/// </summary>
public static class EffectRules
{
    public const long MaxSpendingAmount = 1_000_000_000_000_000;

    /// <summary>Rules, members and validators need the strict threshold (docs/governance.md §3).</summary>
    public static bool NeedsStrictThreshold(ProposalEffect effect) => effect switch
    {
        ParameterChangeEffect change => change.ChangesRules(),
        AdmitMemberEffect or RemoveMemberEffect or AddValidatorEffect or RemoveValidatorEffect => true,
        _ => false,
    };

    /// <summary>Null when the effect can apply to <paramref name="state"/>; otherwise the rejection that explains why not.</summary>
    public static TxOutcome? FindProblem(StateView state, ProposalEffect effect, SettlementCatalog catalog) => effect switch
    {
        ParameterChangeEffect change => ParameterRules.Apply(state.Overlay.Get(StateKeys.Parameters)!, change, catalog, out string? problem) is null
            ? Reject(RejectionReason.InvalidField, problem!)
            : null,
        SpendingEffect spending => SpendingProblem(state, spending),
        AdmitMemberEffect admit => AdmitProblem(state, admit),
        RemoveMemberEffect remove => state.IsMember(remove.HouseId) ? null : Reject(RejectionReason.UnknownHouse, $"house '{remove.HouseId}' is not a member"),
        AddValidatorEffect add =>
            add.Address.Length is < 1 or > GenesisRules.MaxAddressLength ? Reject(RejectionReason.InvalidField, $"validator address must be 1..{GenesisRules.MaxAddressLength} characters (host:port)") :
            state.Overlay.Get(StateKeys.Validator(add.ValidatorKey)) is not null ? Reject(RejectionReason.ProposalWithoutEffect, $"{Hashes.Hex(add.ValidatorKey)} is already a validator") :
            null,
        RemoveValidatorEffect remove =>
            state.Overlay.Get(StateKeys.Validator(remove.ValidatorKey)) is null ? Reject(RejectionReason.ProposalWithoutEffect, $"{Hashes.Hex(remove.ValidatorKey)} is not a validator") :
            state.WithPrefix(StateKeys.ValidatorPrefix).Count <= 1 ? Reject(RejectionReason.ProposalWithoutEffect, "the last validator cannot be removed: nobody could commit blocks") :
            null,
        OfficerKeyEffect officer => OfficerProblem(state, officer),
        ResolutionEffect => null,
        _ => Reject(RejectionReason.InvalidField, $"{effect.Kind} has no rules"),
    };

    /// <summary>Applies an effect that <see cref="FindProblem"/> accepted on this same state.</summary>
    public static void Apply(StateView state, ProposalEffect effect, byte[] proposalId, SettlementCatalog catalog)
    {
        switch (effect)
        {
            case ParameterChangeEffect change:
                CborParameters(state, ParameterRules.Apply(state.Overlay.Get(StateKeys.Parameters)!, change, catalog, out _)!);
                break;
            case AdmitMemberEffect admit:
                state.AddMember(admit.HouseId, admit.MemberKey);
                break;
            case RemoveMemberEffect remove:
                RemoveMember(state, remove.HouseId);
                break;
            case AddValidatorEffect add:
                state.Overlay.Set(GovernanceKeys.ValidatorUpdate(add.ValidatorKey), new ValidatorUpdate(add.ValidatorKey, add.Address, proposalId).EncodeValue());
                break;
            case RemoveValidatorEffect remove:
                state.Overlay.Set(GovernanceKeys.ValidatorUpdate(remove.ValidatorKey), new ValidatorUpdate(remove.ValidatorKey, null, proposalId).EncodeValue());
                break;
            case OfficerKeyEffect officer:
                string key = RoleKey(officer.Role, officer.OfficerKey);
                if (officer.Add) state.Overlay.Set(key, StateValues.True());
                else state.Overlay.Delete(key);
                break;
        }
    }

    private static void CborParameters(StateView state, ChainParameters parameters)
    {
        System.Formats.Cbor.CborWriter w = Cbor.Writer();
        parameters.Write(w);
        state.Overlay.Set(StateKeys.Parameters, w.Encode());
    }

    /// <summary>The house loses its vote, its right to propose and its votes on open proposals; its balance and meters stay until settled.</summary>
    internal static void RemoveMember(StateView state, string houseId)
    {
        byte[] key = StateValues.DecodeBytes(state.Overlay.Get(StateKeys.Member(houseId))!, "member key");
        state.Overlay.Delete(StateKeys.Member(houseId));
        state.Overlay.Delete(StateKeys.MemberKey(key));
        foreach (var open in state.WithPrefix(GovernanceKeys.OpenPrefix))
        {
            state.Overlay.Delete(GovernanceKeys.Vote(GovernanceKeys.TrailingId(open.Key), houseId));
        }
    }

    private static TxOutcome? SpendingProblem(StateView state, SpendingEffect s)
    {
        if (s.Amount is < 1 or > MaxSpendingAmount) return Reject(RejectionReason.AmountOutOfRange, $"amount {s.Amount} must be 1..{MaxSpendingAmount} minor units");
        if (s.PayeeKind == PayeeKind.House && !state.IsMember(s.Payee)) return Reject(RejectionReason.UnknownHouse, $"payee house '{s.Payee}' is not a member");
        if (s.Payee.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(s.Payee) > SpendingEffect.MaxPayeeBytes)
        {
            return Reject(RejectionReason.InvalidField, $"payee must be 1..{SpendingEffect.MaxPayeeBytes} UTF-8 bytes");
        }
        if (s.Purpose.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(s.Purpose) > SpendingEffect.MaxPurposeBytes)
        {
            return Reject(RejectionReason.InvalidField, $"purpose must be 1..{SpendingEffect.MaxPurposeBytes} UTF-8 bytes");
        }
        long fund = state.Fund;
        return s.Amount > fund ? Reject(RejectionReason.FundInsufficient, $"amount {s.Amount} is more than the fund holds ({fund})") : null;
    }

    private static TxOutcome? AdmitProblem(StateView state, AdmitMemberEffect a)
    {
        if (state.Parameters.Governance.MemberAdmission != MemberAdmission.Vote)
        {
            return Reject(RejectionReason.Unauthorized, "on this chain the treasurer admits members (memberAdmission = treasurer); a vote to change parameter 26 to 2 (vote) comes first");
        }
        if (!Identifiers.IsEntityId(a.HouseId)) return Reject(RejectionReason.InvalidField, $"house id '{a.HouseId}' must be {Identifiers.EntityIdRule}");
        if (state.IsMember(a.HouseId)) return Reject(RejectionReason.HouseExists, $"house '{a.HouseId}' is already a member");
        if (state.MemberKeyInUse(a.MemberKey)) return Reject(RejectionReason.KeyInUse, $"member key {Hashes.Hex(a.MemberKey)} belongs to another house");
        return null;
    }

    private static TxOutcome? OfficerProblem(StateView state, OfficerKeyEffect o)
    {
        string role = o.Role == OfficerRole.Installer ? "installer" : "treasurer";
        bool holds = state.Overlay.Get(RoleKey(o.Role, o.OfficerKey)) is not null;
        if (o.Add && holds) return Reject(RejectionReason.ProposalWithoutEffect, $"{Hashes.Hex(o.OfficerKey)} is already a {role} key");
        if (!o.Add && !holds) return Reject(RejectionReason.ProposalWithoutEffect, $"{Hashes.Hex(o.OfficerKey)} is not a {role} key");
        string prefix = RoleKey(o.Role, new byte[Hashes.Size])[..^(Hashes.Size * 2)];
        if (!o.Add && state.WithPrefix(prefix).Count <= 1) return Reject(RejectionReason.ProposalWithoutEffect, $"the last {role} key cannot be removed");
        return null;
    }

    private static string RoleKey(OfficerRole role, byte[] key) => role == OfficerRole.Installer ? StateKeys.Installer(key) : StateKeys.Treasurer(key);

    private static TxOutcome Reject(RejectionReason reason, string detail) => TxOutcome.Reject(reason, detail);
}
