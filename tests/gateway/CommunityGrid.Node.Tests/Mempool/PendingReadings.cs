using CommunityGrid.Chain.Transactions;
using CommunityGrid.Node.Mempool;

namespace CommunityGrid.Node.Tests.Mempool;

/// <summary>Pool entries for readings; the pool never looks inside the bytes, so the id is readable: "m01-5".</summary>
internal static class PendingReadings
{
    public static PendingTransaction Of(string meterId, long sequence) =>
        new([(byte)sequence], $"{meterId}-{sequence}", TxType.Reading, meterId, sequence);
}
