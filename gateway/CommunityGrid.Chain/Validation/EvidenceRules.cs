using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Consensus.Messages;

namespace CommunityGrid.Chain.Validation;

/// <summary>
/// Double-sign evidence as a transaction (consensus.md §2.4): signed by a validator (so that only the gateways, who
/// see the votes, can write it), proving an offence by a validator of the set, recorded once per offence
/// (validator, height, round, vote type) whoever reports it first. What follows from an offence (a vote to remove
/// the gateway) is the community's decision (governance.md); the chain only keeps the proof.
/// </summary>
public static class EvidenceRules
{
    public static TxOutcome Execute(StateView state, Transaction tx)
    {
        var payload = (EvidencePayload)tx.Admin!;
        if (!tx.SignatureValid) return TxOutcome.Reject(RejectionReason.BadSignature, $"signature does not verify under kid {Hashes.Hex(tx.Signer)}");
        if (payload.ChainId != state.ChainId)
        {
            return TxOutcome.Reject(RejectionReason.WrongChain, $"transaction is for chain '{payload.ChainId}', this is '{state.ChainId}'");
        }
        ValidatorSet validators = ValidatorSet.FromState(state.Overlay);
        if (!validators.Contains(tx.Signer))
        {
            return TxOutcome.Reject(RejectionReason.Unauthorized, $"evidence must be reported by a validator; {Hashes.Hex(tx.Signer)} is not one");
        }
        long lastNonce = state.Nonce(tx.Signer);
        if (payload.Nonce <= lastNonce)
        {
            return TxOutcome.Reject(RejectionReason.ReplayedNonce, $"nonce {payload.Nonce} is not above the signer's last nonce {lastNonce}");
        }
        DoubleSignEvidence evidence;
        try
        {
            evidence = DoubleSignEvidence.Decode(payload.Evidence);
        }
        catch (ConsensusFormatException e)
        {
            return TxOutcome.Reject(RejectionReason.InvalidEvidence, $"the evidence does not decode: {e.Message}");
        }
        // Set changes are not applied yet (chain.md §8): the set of the offence's height is the current one.
        if (!evidence.Verify(state.ChainId, validators.ForConsensus))
        {
            return TxOutcome.Reject(RejectionReason.InvalidEvidence,
                $"the two votes do not prove that validator {Hashes.Hex(evidence.Validator)} signed conflicting votes on chain '{state.ChainId}'");
        }
        string key = StateKeys.Evidence(evidence.OffenceKey);
        if (state.Overlay.Get(key) is not null)
        {
            return TxOutcome.Reject(RejectionReason.EvidenceAlreadyRecorded, $"the offence {evidence.OffenceKey} is already recorded");
        }
        state.Overlay.Set(key, StateValues.EncodeBytes(evidence.Id));
        state.SetNonce(tx.Signer, payload.Nonce);
        return TxOutcome.Applied;
    }
}
