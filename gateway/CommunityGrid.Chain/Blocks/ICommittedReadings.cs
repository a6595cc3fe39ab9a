namespace CommunityGrid.Chain.Blocks;

/// <summary>
/// The readings the chain already holds, looked up outside the consensus state (a gateway answers from its store's
/// <c>readings</c> index and the signed bytes in the block). It tells a resend of a committed reading, answered as a
/// duplicate with the ack the meter expects, from a different reading with a used sequence (ReplayedSequence). That
/// is not a block rule: a block holds neither (docs/chain.md §4), so only proposals ask, never block verification.
/// </summary>
public interface ICommittedReadings
{
    /// <summary>Whether the committed reading of <paramref name="meterId"/> with <paramref name="sequence"/> is the transaction <paramref name="txId"/>.</summary>
    bool Holds(string meterId, long sequence, byte[] txId);
}
