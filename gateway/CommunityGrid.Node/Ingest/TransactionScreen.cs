using System;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The checks a transaction passes before it may wait in the mempool. <see cref="Screen"/> is stateless (it decodes,
/// names this chain, its signature verifies), in the chain's own order for each type (docs/chain.md §4), so the
/// reason given is the one the block producer would give. <see cref="AgainstTip"/> runs the chain's own rules on a
/// throwaway copy of the tip state, for submissions over HTTP: what cannot apply now is refused with the reason
/// instead of being dropped silently at block time (issue 11, case 8).
/// </summary>
public static class TransactionScreen
{
    /// <param name="tx">The decoded transaction, also when a later check rejects it; null when it does not decode.</param>
    /// <returns>The rejection, or null when the transaction may enter the mempool.</returns>
    public static TxOutcome? Screen(byte[] bytes, string chainId, out Transaction? tx)
    {
        tx = Transaction.TryDecode(bytes, out TxOutcome? undecodable);
        if (tx is null) return undecodable;
        TxOutcome? wrongChain = tx.ChainId == chainId
            ? null
            : TxOutcome.Reject(RejectionReason.WrongChain, $"{tx.Type} is for chain '{tx.ChainId}', this is '{chainId}'");
        TxOutcome? badSignature = tx.SignatureValid
            ? null
            : TxOutcome.Reject(RejectionReason.BadSignature, $"signature does not verify under kid {Convert.ToHexStringLower(tx.Signer)}");
        return tx.Type == TxType.Reading ? wrongChain ?? badSignature : badSignature ?? wrongChain;
    }

    /// <summary>
    /// The chain's rules (TransactionRules, the very dispatch the producer runs) applied to <paramref name="tx"/>
    /// on a copy of the tip state at <paramref name="blockTimeMs"/>; nothing is kept.
    /// </summary>
    /// <returns>The rejection, or null when the transaction would apply (or is a duplicate of a committed reading, which the producer acknowledges again).</returns>
    public static TxOutcome? AgainstTip(ChainState tip, Transaction tx, long blockTimeMs)
    {
        ArgumentNullException.ThrowIfNull(tip);
        ArgumentNullException.ThrowIfNull(tx);
        StateView scratch = tip.View();
        TxOutcome outcome = TransactionRules.Execute(scratch, tx, Math.Max(blockTimeMs, tip.TipTimeMs + 1), tip.Catalog);
        return outcome.Status == TxStatus.Rejected ? outcome : null;
    }
}
