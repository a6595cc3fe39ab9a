using System;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Node.Ingest;

/// <summary>
/// The cheap, stateless checks a transaction passes before it may wait in the mempool: it decodes, names this
/// chain and its signature verifies. In the chain's own order for each type (docs/chain.md §4), so the reason
/// given here is the one the block producer would give. Everything stateful is left to the producer.
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
}
