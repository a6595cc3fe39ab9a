using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Storage;

public class AlternatingSlotFileTests
{
    [Fact]
    public void EmptyStoreLoadsNothing()
    {
        var slots = new AlternatingSlotFile(new MemoryFileStore(), "v");
        Assert.Null(slots.Load());
        Assert.Equal(0, slots.Generation);
        Assert.Null(slots.Problem);
    }

    [Fact]
    public void SavesAlternateBetweenTheTwoFiles()
    {
        var store = new MemoryFileStore();
        var slots = new AlternatingSlotFile(store, "v");
        slots.Save(new byte[] { 1 });
        slots.Save(new byte[] { 2 });
        slots.Save(new byte[] { 3 });
        Assert.Equal(new[] { "v.0", "v.1" }, store.Names());

        var reopened = new AlternatingSlotFile(store, "v");
        Assert.Equal(new byte[] { 3 }, reopened.Load());
        Assert.Equal(3, reopened.Generation);
    }

    [Fact]
    public void APowerCutAtAnyByteOfASaveKeepsTheOldOrTheNewValue()
    {
        var baseline = new MemoryFileStore();
        new AlternatingSlotFile(baseline, "v").Save(new byte[] { 1, 1, 1 });
        new AlternatingSlotFile(baseline, "v").Save(new byte[] { 2, 2, 2 });

        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            var slots = new AlternatingSlotFile(store, "v");
            slots.Load();
            store.FailAfter(budget);
            bool finished = true;
            try
            {
                slots.Save(new byte[] { 3, 3, 3, 3 });
            }
            catch (SimulatedPowerLossException)
            {
                finished = false;
            }
            store.PowerOn();
            byte[]? loaded = new AlternatingSlotFile(store, "v").Load();
            Assert.Equal(finished ? new byte[] { 3, 3, 3, 3 } : new byte[] { 2, 2, 2 }, loaded);
            if (finished) break;
        }
    }

    [Fact]
    public void ACorruptNewestSlotFallsBackToThePreviousValueAndSaysSo()
    {
        var store = new MemoryFileStore();
        var slots = new AlternatingSlotFile(store, "v");
        slots.Save(new byte[] { 1 });
        slots.Save(new byte[] { 2 });
        store.CorruptByte("v.1", 13);

        var reopened = new AlternatingSlotFile(store, "v");
        Assert.Equal(new byte[] { 1 }, reopened.Load());
        Assert.Contains("v.1", reopened.Problem);

        // The save goes over the damaged slot, so the older value still stands beside the new one.
        reopened.Save(new byte[] { 3 });
        Assert.Equal(new byte[] { 3 }, new AlternatingSlotFile(store, "v").Load());
        Assert.Equal(1, store.Peek("v.0")![14]);
    }
}
