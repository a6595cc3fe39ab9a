using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Transactions;

namespace CommunityGrid.Chain.Tests.Transactions;

/// <summary>Issue 18 "verify each signature once per node": a transaction's signature is checked once however often it is decoded.</summary>
public sealed class VerifiedSignaturesTests
{
    [Fact]
    public void A_verified_signature_is_not_checked_again_and_a_bad_one_always_is()
    {
        var cache = new VerifiedSignatures(capacity: 2);
        byte[] good = new byte[32];
        good[0] = 1;
        int checks = 0;
        Assert.True(cache.Check(good, () => { checks++; return true; }));
        Assert.True(cache.Check(good, () => { checks++; return true; }));
        Assert.Equal(1, checks);
        Assert.Equal((1L, 1L), (cache.Verifications, cache.Hits));

        byte[] forged = new byte[32];
        forged[0] = 2;
        Assert.False(cache.Check(forged, () => { checks++; return false; }));
        Assert.False(cache.Check(forged, () => { checks++; return false; }));
        Assert.Equal(3, checks);
    }

    [Fact]
    public void The_oldest_ids_go_first_beyond_the_capacity()
    {
        var cache = new VerifiedSignatures(capacity: 2);
        byte[][] ids = [Id(1), Id(2), Id(3)];
        foreach (byte[] id in ids) cache.Check(id, () => true);
        int checks = 0;
        cache.Check(ids[0], () => { checks++; return true; });
        Assert.Equal(1, checks); // evicted, checked again
        cache.Check(ids[2], () => { checks++; return true; });
        Assert.Equal(1, checks); // still known
    }

    [Fact]
    public void Far_more_ids_than_the_capacity_leave_exactly_the_newest_ones_remembered()
    {
        // A gateway that runs for years verifies millions of readings; the cache must stay at its capacity (issue 18, RSS).
        const int Capacity = 100, Added = 1_050;
        var cache = new VerifiedSignatures(Capacity);
        for (int n = 1; n <= Added; n++) cache.Check(NumberedId(n), () => true);
        Assert.Equal(Capacity, cache.Count);
        for (int n = Added - Capacity + 1; n <= Added; n++) Assert.True(cache.Check(NumberedId(n), () => false), $"id {n} is among the newest");
        Assert.False(cache.Check(NumberedId(Added - Capacity), () => false), "the id just before the newest was dropped");
        Assert.Equal(Capacity, cache.Count);
    }

    [Fact]
    public void Threads_adding_at_once_keep_the_cache_within_its_capacity()
    {
        // Replay workers and the replay add at the same time; the bound is kept under one lock.
        var cache = new VerifiedSignatures(capacity: 500);
        const int Threads = 4, PerThread = 1_000;
        System.Threading.Tasks.Parallel.For(0, Threads, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (int i = 0; i < PerThread; i++) cache.Check(NumberedId(t * PerThread + i + 1), () => true);
        });
        int known = 0;
        for (int n = 1; n <= Threads * PerThread; n++)
        {
            if (cache.Check(NumberedId(n), () => false)) known++; // a miss answers false and is not remembered
        }
        Assert.Equal(500, known);
        Assert.Equal(500, cache.Count);
    }

    [Fact]
    public void A_cached_transaction_stays_valid_and_a_tampered_copy_of_it_is_still_refused()
    {
        using var c = new TestCommunity().WithMeters();
        byte[] reading = c.ReadingTx("m1", 1, 0, 10, 0);
        Assert.True(Transaction.Decode(reading).SignatureValid);
        Assert.True(Transaction.Decode(reading).SignatureValid);
        byte[] tampered = (byte[])reading.Clone();
        tampered[^1] ^= 0x01; // inside the signature: other bytes, another id, checked and refused
        Assert.False(Transaction.Decode(tampered).SignatureValid);
    }

    private static byte[] NumberedId(int n)
    {
        var id = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(id, n);
        return id;
    }

    private static byte[] Id(byte first)
    {
        var id = new byte[32];
        id[0] = first;
        return id;
    }
}
