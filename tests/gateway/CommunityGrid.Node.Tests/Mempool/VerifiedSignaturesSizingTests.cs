using System.Buffers.Binary;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Node.Mempool;

namespace CommunityGrid.Node.Tests.Mempool;

/// <summary>
/// The signature cache is sized for the node's default mempool (issue 18: verify each signature once, and gateway RSS):
/// a reading checked at intake is still remembered when block production decodes it, after every other reading a full
/// pool holds and a round's candidates were checked in between.
/// </summary>
public sealed class VerifiedSignaturesSizingTests
{
    [Fact]
    public void A_reading_checked_at_intake_is_not_verified_again_after_a_full_pool_and_a_rounds_candidates()
    {
        var cache = new VerifiedSignatures(VerifiedSignatures.DefaultCapacity);
        int between = TransactionPool.DefaultCapacity + 2 * BlockProducer.DefaultMaxTransactions;
        for (int n = 0; n <= between; n++) Assert.True(cache.Check(NumberedId(n), () => true));

        int verifiedAgain = 0;
        Assert.True(cache.Check(NumberedId(0), () => { verifiedAgain++; return true; }));
        Assert.Equal(0, verifiedAgain);
        Assert.Equal(between + 1L, cache.Verifications);
    }

    private static byte[] NumberedId(int n)
    {
        var id = new byte[32];
        BinaryPrimitives.WriteInt32LittleEndian(id, n);
        return id;
    }
}
