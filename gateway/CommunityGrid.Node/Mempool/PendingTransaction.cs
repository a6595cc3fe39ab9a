using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Node.Mempool;

/// <summary>A transaction waiting for a block, with what the node needs to acknowledge it afterwards.</summary>
/// <param name="MeterId">The reading's meter, or null for an administrative transaction.</param>
/// <param name="Sequence">The reading's sequence number, 0 for an administrative transaction.</param>
public sealed record PendingTransaction(byte[] Bytes, string IdHex, TxType Type, string? MeterId, long Sequence)
{
    public static PendingTransaction Of(Transaction tx) => Of(tx, tx.IdHex);

    /// <param name="idHex">The transaction's id in hex, when the caller has made it already (intake, before decoding).</param>
    public static PendingTransaction Of(Transaction tx, string idHex) =>
        new(tx.Bytes, idHex, tx.Type, tx.Reading?.MeterId, tx.Reading?.Sequence ?? 0);
}
