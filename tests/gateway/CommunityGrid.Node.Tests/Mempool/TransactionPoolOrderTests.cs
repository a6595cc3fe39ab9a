using CommunityGrid.Chain.Transactions;
using CommunityGrid.Node.Mempool;

namespace CommunityGrid.Node.Tests.Mempool;

/// <summary>When the pool forgets a meter's refused sequence, and that it never blocks other meters or transactions.</summary>
public sealed class TransactionPoolOrderTests
{
    [Fact]
    public void A_meter_waits_after_a_refusal_until_the_refused_sequence_or_a_lower_one_is_taken()
    {
        var pool = new TransactionPool(1);
        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m02", 1)));
        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 5)));
        pool.Remove(["m02-1"]);

        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 6), out bool waits));
        Assert.True(waits);
        Assert.Equal(0, pool.Count);
        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m01", 4)));
        Assert.Equal(0, pool.MetersWaiting);
    }

    [Fact]
    public void The_lowest_refused_sequence_is_the_one_waited_for()
    {
        var pool = new TransactionPool(1);
        pool.Add(PendingReadings.Of("m02", 1));
        pool.Add(PendingReadings.Of("m01", 7));
        pool.Add(PendingReadings.Of("m01", 5));
        pool.Remove(["m02-1"]);

        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 6)));
        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m01", 5)));
        Assert.Equal(0, pool.MetersWaiting);
    }

    [Fact]
    public void A_refusal_is_forgotten_when_a_higher_reading_that_was_already_waiting_leaves_the_pool()
    {
        var pool = new TransactionPool(2);
        pool.Add(PendingReadings.Of("m01", 5));
        pool.Add(PendingReadings.Of("m02", 1));
        // A lower reading arriving after a higher one (a resend after a lost publish) and refused for capacity.
        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 3)));
        pool.Remove(["m02-1"]);
        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 6)));

        // Once 5 is decided, 3 can never be committed; waiting for it would hold the meter forever.
        pool.Remove(["m01-5"]);
        Assert.Equal(0, pool.MetersWaiting);
        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m01", 6)));
    }

    [Fact]
    public void Other_meters_and_transactions_without_a_meter_are_not_held()
    {
        var pool = new TransactionPool(1);
        pool.Add(PendingReadings.Of("m02", 1));
        pool.Add(PendingReadings.Of("m01", 1));
        pool.Remove(["m02-1"]);

        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m03", 1), out bool waits));
        Assert.False(waits);
        pool.Remove(["m03-1"]);
        Assert.Equal(PoolAdmission.Added, pool.Add(new PendingTransaction([1], "enrol", TxType.EnrolMeter, null, 0)));
        Assert.Equal(1, pool.MetersWaiting);
    }
}
