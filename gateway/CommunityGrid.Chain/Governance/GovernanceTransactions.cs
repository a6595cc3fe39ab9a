using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Chain.Governance;

/// <summary>
/// Checks and applies proposals, votes and statements (signed by a member key) and fund payouts (signed by a
/// treasurer key). The order is that of the administrative transactions: signature, chain, the signer's right,
/// nonce, then the type's own rules (docs/governance.md §5).
/// </summary>
public static class GovernanceTransactions
{
    public static bool Handles(TxType type) => type is TxType.Proposal or TxType.Vote or TxType.Statement or TxType.FundPayout;

    public static TxOutcome Execute(StateView state, Transaction tx, long blockTimeMs, SettlementCatalog catalog)
    {
        AdminPayload payload = tx.Admin!;
        if (!tx.SignatureValid) return Reject(RejectionReason.BadSignature, $"signature does not verify under kid {Hashes.Hex(tx.Signer)}");
        if (payload.ChainId != state.ChainId)
        {
            return Reject(RejectionReason.WrongChain, $"transaction is for chain '{payload.ChainId}', this is '{state.ChainId}'");
        }
        string? house = null;
        if (payload is FundPayoutPayload)
        {
            if (!state.IsTreasurer(tx.Signer)) return Reject(RejectionReason.Unauthorized, $"a fund payout must be signed by a treasurer key; {Hashes.Hex(tx.Signer)} is not one");
        }
        else
        {
            house = state.HouseOfMemberKey(tx.Signer);
            if (house is null) return Reject(RejectionReason.Unauthorized, $"{payload.Type} must be signed by a member key; {Hashes.Hex(tx.Signer)} is not one");
        }
        long lastNonce = state.Nonce(tx.Signer);
        if (payload.Nonce <= lastNonce) return Reject(RejectionReason.ReplayedNonce, $"nonce {payload.Nonce} is not above the signer's last nonce {lastNonce}");
        TxOutcome? problem = payload switch
        {
            ProposalPayload proposal => Propose(state, tx.Id, house!, proposal, blockTimeMs, catalog),
            VotePayload vote => Vote(state, house!, vote, blockTimeMs),
            StatementPayload statement => State(state, tx.Id, house!, statement, blockTimeMs),
            FundPayoutPayload payout => PayOut(state, payout),
            _ => Reject(RejectionReason.UnknownTxType, $"{payload.Type} is not a governance transaction"),
        };
        if (problem is not null) return problem;
        state.SetNonce(tx.Signer, payload.Nonce);
        return TxOutcome.Applied;
    }

    private static TxOutcome? Propose(StateView state, byte[] id, string house, ProposalPayload p, long blockTimeMs, SettlementCatalog catalog)
    {
        int titleBytes = System.Text.Encoding.UTF8.GetByteCount(p.Title);
        if (titleBytes is < 1 or > ProposalPayload.MaxTitleBytes) return Invalid($"title must be 1..{ProposalPayload.MaxTitleBytes} UTF-8 bytes, got {titleBytes}");
        int textBytes = System.Text.Encoding.UTF8.GetByteCount(p.Text);
        if (textBytes > ProposalPayload.MaxTextBytes) return Invalid($"text must be at most {ProposalPayload.MaxTextBytes} UTF-8 bytes, got {textBytes}");
        GovernanceRules rules = state.Parameters.Governance;
        int open = 0;
        foreach (var entry in state.WithPrefix(GovernanceKeys.OpenPrefix))
        {
            if (StateValues.DecodeText(entry.Value, "open proposal") == house) open++;
        }
        if (open >= rules.MaxOpenProposalsPerHouse)
        {
            return Reject(RejectionReason.TooManyOpenProposals, $"house '{house}' already has {open} open proposal(s), the most the rules allow; wait until one closes");
        }
        TxOutcome? effectProblem = EffectRules.FindProblem(state, p.Effect, catalog);
        if (effectProblem is not null) return effectProblem;
        long closes = blockTimeMs + rules.VotingPeriodSeconds * 1000L;
        state.PutProposal(id, new ProposalRecord(house, p.Title, p.Effect, blockTimeMs, closes, ProposalStatus.Open, null, null, 0));
        state.Overlay.Set(GovernanceKeys.Open(closes, id), StateValues.EncodeText(house));
        return null;
    }

    private static TxOutcome? Vote(StateView state, string house, VotePayload v, long blockTimeMs)
    {
        ProposalRecord? proposal = state.Proposal(v.ProposalId);
        if (proposal is null) return Reject(RejectionReason.UnknownProposal, $"no proposal {Hashes.Hex(v.ProposalId)}");
        if (proposal.Status != ProposalStatus.Open || blockTimeMs >= proposal.ClosesMs)
        {
            return Reject(RejectionReason.VotingClosed, $"voting on {Hashes.Hex(v.ProposalId)} closed at {proposal.ClosesMs} ms; block time is {blockTimeMs}");
        }
        state.Overlay.Set(GovernanceKeys.Vote(v.ProposalId, house), StateValues.EncodeInt((long)v.Choice));
        return null;
    }

    private static TxOutcome? State(StateView state, byte[] id, string house, StatementPayload s, long blockTimeMs)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(s.Text);
        if (bytes is < 1 or > StatementPayload.MaxTextBytes) return Invalid($"statement text must be 1..{StatementPayload.MaxTextBytes} UTF-8 bytes, got {bytes}");
        if (s.ProposalId is not null && state.Proposal(s.ProposalId) is null)
        {
            return Reject(RejectionReason.UnknownProposal, $"no proposal {Hashes.Hex(s.ProposalId)} to attach the statement to");
        }
        if (s.Follows is not null && state.Statement(s.Follows) is null)
        {
            return Reject(RejectionReason.UnknownStatement, $"no statement {Hashes.Hex(s.Follows)} to follow");
        }
        state.Overlay.Set(GovernanceKeys.Statement(id), new StatementRecord(house, s.ProposalId, s.Follows, blockTimeMs).Encode());
        return null;
    }

    private static TxOutcome? PayOut(StateView state, FundPayoutPayload p)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(p.Reference) > FundPayoutPayload.MaxReferenceBytes) return Invalid($"reference is longer than {FundPayoutPayload.MaxReferenceBytes} UTF-8 bytes");
        if (p.Amount is < 1 or > EffectRules.MaxSpendingAmount)
        {
            return Reject(RejectionReason.AmountOutOfRange, $"amount {p.Amount} must be 1..{EffectRules.MaxSpendingAmount} minor units");
        }
        ProposalRecord? proposal = state.Proposal(p.ProposalId);
        if (proposal?.Effect is not SpendingEffect spending)
        {
            return Reject(RejectionReason.UnknownProposal, $"no spending proposal {Hashes.Hex(p.ProposalId)}; a payout from the fund must name the passed proposal that allows it");
        }
        if (proposal.Status != ProposalStatus.Passed)
        {
            return Reject(RejectionReason.ProposalNotPassed, $"spending proposal {Hashes.Hex(p.ProposalId)} has not passed (status {proposal.Status})");
        }
        long left = spending.Amount - proposal.Paid;
        if (p.Amount > left) return Reject(RejectionReason.ExceedsProposal, $"amount {p.Amount} is more than the {left} the proposal still allows (of {spending.Amount})");
        long fund = state.Fund;
        if (p.Amount > fund) return Reject(RejectionReason.FundInsufficient, $"amount {p.Amount} is more than the fund holds ({fund}); the fund never goes negative");
        state.SetFund(fund - p.Amount);
        state.PutProposal(p.ProposalId, proposal with { Paid = proposal.Paid + p.Amount });
        return null;
    }

    private static TxOutcome Invalid(string detail) => TxOutcome.Reject(RejectionReason.InvalidField, detail);

    private static TxOutcome Reject(RejectionReason reason, string detail) => TxOutcome.Reject(reason, detail);
}
