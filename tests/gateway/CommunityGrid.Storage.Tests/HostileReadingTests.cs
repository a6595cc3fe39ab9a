using System;
using System.IO;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Tests.Support;
using CommunityGrid.Chain.Validation;

namespace CommunityGrid.Storage.Tests;

/// <summary>
/// Issue 11 case 1 at the store: a hostile reading among good ones must not stop block production, neither in the
/// running store nor after a restart (which replays every stored block from genesis).
/// </summary>
public sealed class HostileReadingTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "cgrid-hostile-" + Guid.NewGuid().ToString("N"));
    private readonly TestCommunity c = new(mechanism: "sdr");

    public HostileReadingTests() => Directory.CreateDirectory(directory);

    public void Dispose()
    {
        c.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private string DatabasePath => Path.Combine(directory, "chain.sqlite");

    private Produced ProduceAndStore(ChainStore store, long timeMs, params byte[][] candidates)
    {
        Produced produced = BlockProducer.Produce(store.State, candidates, timeMs, c.Validator);
        Assert.NotNull(produced.Block);
        store.Append(produced.Block!);
        return produced;
    }

    [Fact]
    public void Blocks_keep_coming_for_the_others_also_after_a_restart()
    {
        byte[] hostile;
        using (ChainStore store = ChainStore.Open(DatabasePath, c.Genesis))
        {
            ProduceAndStore(store, TestCommunity.At(1), c.EnrolTx("m1", "h1"), c.EnrolTx("m2", "h2"), c.EnrolTx("m3", "h3"));
            hostile = c.ReadingTx("m1", 1, 0, long.MaxValue, 0);
            Produced first = ProduceAndStore(store, TestCommunity.EndOf(0), hostile, c.ReadingTx("m2", 1, 0, 400, 0), c.ReadingTx("m3", 1, 0, 0, 300));
            Assert.Equal(RejectionReason.ImplausibleEnergy, first.Outcomes[0].Outcome.Reason);
            Assert.Equal(2, first.Block!.Body.Transactions.Count);
        }

        using (ChainStore store = ChainStore.Open(DatabasePath, c.Genesis))
        {
            // The meter sends its hostile reading again after the restart; the interval still closes.
            Produced again = ProduceAndStore(store, TestCommunity.CloseOf(0), hostile, c.ReadingTx("m2", 2, 1, 500, 0));
            Assert.Equal(RejectionReason.ImplausibleEnergy, again.Outcomes[0].Outcome.Reason);
            Assert.Single(again.Block!.Body.Settlements);
            Assert.Equal(3, store.Height);
            Assert.True(store.State.View().Balance("h3") > 0);
            Assert.True(store.State.View().Balance("h2") < 0);
            ProduceAndStore(store, TestCommunity.CloseOf(1), c.ReadingTx("m3", 2, 2, 0, 350));
        }

        using ChainStore reopened = ChainStore.Open(DatabasePath, c.Genesis);
        Assert.Equal(4, reopened.Height);
    }
}
