using System;
using CommunityGrid.Node.Mempool;

namespace CommunityGrid.Node.Tests.Mempool;

/// <summary>A meter is never held forever, and the pool remembers refusals for a bounded number of meters.</summary>
public sealed class RefusalGiveUpTests
{
    private static readonly TimeSpan JustShort = RefusedSequences.GiveUpAfter - TimeSpan.FromSeconds(1);

    [Fact]
    public void A_refused_sequence_that_does_not_come_back_is_given_up_and_the_meter_goes_on()
    {
        var time = new ManualTime();
        var pool = new TransactionPool(1, time);
        pool.Add(PendingReadings.Of("m02", 1));
        pool.Add(PendingReadings.Of("m01", 5));
        pool.Remove(["m02-1"]);
        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 6)));

        // Its queue dropped 5 while it was away; it now starts at 6.
        time.Advance(RefusedSequences.GiveUpAfter);
        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m01", 6)));
        Assert.Equal(0, pool.MetersWaiting);
    }

    [Fact]
    public void Each_new_refusal_of_the_waited_for_sequence_starts_the_wait_again()
    {
        var time = new ManualTime();
        var pool = new TransactionPool(1, time);
        pool.Add(PendingReadings.Of("m02", 1));
        pool.Add(PendingReadings.Of("m01", 5));
        time.Advance(JustShort);
        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 5)));
        time.Advance(JustShort);
        pool.Remove(["m02-1"]);

        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("m01", 6), out bool waits));
        Assert.True(waits);
        Assert.Equal(PoolAdmission.Added, pool.Add(PendingReadings.Of("m01", 5)));
    }

    [Fact]
    public void At_most_the_limit_of_meters_is_remembered_until_some_are_given_up()
    {
        var time = new ManualTime();
        var pool = new TransactionPool(1, time);
        pool.Add(PendingReadings.Of("filler", 1));
        for (int i = 0; i < TransactionPool.MinRefusedMeters; i++) pool.Add(PendingReadings.Of($"x{i}", 1));
        Assert.Equal(TransactionPool.MinRefusedMeters, pool.MetersWaiting);

        pool.Add(PendingReadings.Of("beyond", 1));
        Assert.Equal(TransactionPool.MinRefusedMeters, pool.MetersWaiting);

        time.Advance(RefusedSequences.GiveUpAfter);
        pool.Add(PendingReadings.Of("later", 1));
        Assert.Equal(1, pool.MetersWaiting);
        pool.Remove(["filler-1"]);
        Assert.Equal(PoolAdmission.Full, pool.Add(PendingReadings.Of("later", 2)));
    }
}
