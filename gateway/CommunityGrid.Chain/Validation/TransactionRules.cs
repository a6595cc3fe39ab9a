using CommunityGrid.Chain.Breakaway;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Validation;

/// <summary>
/// The one dispatch from a transaction's type to its rules (docs/chain.md §4, docs/governance.md §5, docs/breakaway.md §3), shared by block
/// production, block verification and the gateway's screening of submissions, so all three give the same outcome and
/// the same reason for the same transaction on the same state.
/// </summary>
public static class TransactionRules
{
    public static TxOutcome Execute(StateView view, Transaction tx, long blockTimeMs, SettlementCatalog catalog) =>
        tx.Type == TxType.Reading ? ReadingRules.Execute(view, tx, blockTimeMs)
        : tx.Type == TxType.Evidence ? EvidenceRules.Execute(view, tx)
        : GovernanceTransactions.Handles(tx.Type) ? GovernanceTransactions.Execute(view, tx, blockTimeMs, catalog)
        : ExitTransactions.Handles(tx.Type) ? ExitTransactions.Execute(view, tx)
        : AdminRules.Execute(view, tx);
}
