using System;
using CommunityGrid.Meter.Energy;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;

namespace CommunityGrid.Meter.Tests.Energy;

public class EnergyCheckpointTests
{
    private const long Every = EnergyCheckpoint.DefaultSaveEveryMs;

    [Fact]
    public void AFreshStoreRestoresTheFloor()
    {
        var checkpoint = new EnergyCheckpoint(new MemoryFileStore());
        checkpoint.Restore(5, 6, 7);
        Assert.Equal((5, 6, 7), Registers(checkpoint));
        Assert.Null(checkpoint.Problem);
    }

    [Fact]
    public void SavedRegistersSurviveARestart()
    {
        var store = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Restore(0, 0, 0);
        Assert.True(checkpoint.Save(0, 1200, 300, 4500, force: false));
        Assert.Equal((1200, 300, 4500), Restored(store));
    }

    [Fact]
    public void ASaveIsWrittenOnlyWhenDueOrForcedAndOnlyWhenARegisterGrew()
    {
        var store = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Restore(0, 0, 0);
        Assert.True(checkpoint.Save(1_000, 10, 0, 0, force: false));
        Assert.False(checkpoint.Save(1_000 + Every - 1, 11, 0, 0, force: false));
        Assert.Equal((10, 0, 0), Restored(store));
        Assert.True(checkpoint.Save(1_000 + Every, 11, 0, 0, force: false));
        Assert.False(checkpoint.Save(1_000 + 2 * Every, 11, 0, 0, force: false));
        Assert.False(checkpoint.Save(1_000 + 2 * Every, 11, 0, 0, force: true));
        Assert.True(checkpoint.Save(1_000 + Every + 5, 11, 1, 0, force: true));
        Assert.Equal((11, 1, 0), Restored(store));
    }

    [Fact]
    public void AfterASaveThatFailedTheNextCallSavesAtOnce()
    {
        var store = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Save(0, 10, 0, 0, force: true);
        store.FailAfter(3);
        Assert.Throws<SimulatedPowerLossException>(() => checkpoint.Save(1, 20, 0, 0, force: true));
        store.PowerOn();
        Assert.True(checkpoint.Save(2, 20, 0, 0, force: false));
        Assert.Equal((20, 0, 0), Restored(store));
    }

    [Fact]
    public void ALowerRegisterNeverReplacesAHigherOne()
    {
        var store = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Restore(0, 0, 0);
        checkpoint.Save(0, 100, 100, 100, force: true);
        Assert.True(checkpoint.Save(1, 50, 150, 0, force: true));
        Assert.Equal((100, 150, 100), Registers(checkpoint));
        Assert.Equal((100, 150, 100), Restored(store));
    }

    [Fact]
    public void SavingWithoutRestoringFirstStillNeverLowersTheFile()
    {
        var store = new MemoryFileStore();
        var first = new EnergyCheckpoint(store);
        first.Save(0, 500, 500, 500, force: true);
        var second = new EnergyCheckpoint(store);
        second.Save(0, 1, 600, 1, force: true);
        Assert.Equal((500, 600, 500), Restored(store));
    }

    [Fact]
    public void TheNewestQueuedReadingIsTheFloor()
    {
        var store = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Save(0, 1000, 50, 2000, force: true);
        ReadingQueue queue = OpenQueue(store);
        queue.Append(1, Signed(1, 900, 999, 40, 1990));
        queue.Append(2, Signed(2, 1800, 1010, 45, 2005));
        var restored = new EnergyCheckpoint(store);
        restored.Restore(queue);
        Assert.Equal((1010, 50, 2005), Registers(restored));
    }

    [Fact]
    public void AnEmptyQueueLeavesTheSavedRegisters()
    {
        var store = new MemoryFileStore();
        new EnergyCheckpoint(store).Save(0, 7, 8, 9, force: true);
        var restored = new EnergyCheckpoint(store);
        restored.Restore(OpenQueue(store));
        Assert.Equal((7, 8, 9), Registers(restored));
    }

    [Fact]
    public void BothSlotsDamagedIsReportedAndFallsBackToTheFloor()
    {
        var store = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Save(0, 100, 0, 0, force: true);
        checkpoint.Save(1, 200, 0, 0, force: true);
        store.CorruptByte("energy.0", 15);
        store.CorruptByte("energy.1", 15);
        var restored = new EnergyCheckpoint(store);
        restored.Restore(150, 0, 0);
        Assert.Equal((150, 0, 0), Registers(restored));
        Assert.NotNull(restored.Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void APowerCutAtEveryByteOfASaveLeavesTheOldOrTheNewRegisters(int earlierSaves)
    {
        var before = new MemoryFileStore();
        var checkpoint = new EnergyCheckpoint(before);
        (long, long, long) old = (0, 0, 0);
        for (int i = 1; i <= earlierSaves; i++)
        {
            checkpoint.Save(i, 1000 * i, 10 * i, 500 * i, force: true);
            old = (1000 * i, 10 * i, 500 * i);
        }
        (long, long, long) next = (old.Item1 + 1234, old.Item2 + 1, old.Item3 + 99);
        long units = UnitsOfSave(before, next);
        Assert.True(units > 18, "a save writes a whole slot");
        for (long budget = 0; budget <= units; budget++)
        {
            MemoryFileStore store = before.Clone();
            var saving = new EnergyCheckpoint(store);
            saving.Restore(0, 0, 0);
            store.FailAfter(budget);
            bool completed = true;
            try
            {
                saving.Save(99, next.Item1, next.Item2, next.Item3, force: true);
            }
            catch (SimulatedPowerLossException)
            {
                completed = false;
            }
            store.PowerOn();
            (long, long, long) restored = Restored(store);
            if (completed) Assert.Equal(next, restored);
            else Assert.True(restored == old || restored == next, $"cut after {budget} of {units} units restored {restored}, expected {old} or {next}");
        }
    }

    [Fact]
    public void RegistersNeverDecreaseAcrossRestartsAndNeverFallBelowAQueuedOrSavedReading()
    {
        // A meter's life in fast motion: energy grows, readings are queued and force-saved, some are acknowledged
        // (only after the forced save, as the app publishes after it), and the power fails at random units.
        var random = new Random(20240611);
        var store = new MemoryFileStore();
        var signer = new CoseReadingSigner(new byte[32]);
        var builder = new ReadingBuilder("cg-test", "meter-7", 900, "test-1");
        long sequence = 0, interval = 0, clockMs = 0;
        (long, long, long) lastBoot = (0, 0, 0), mustKeep = (0, 0, 0);
        int cuts = 0;
        for (int boot = 0; boot < 60; boot++)
        {
            store.PowerOn();
            ReadingQueue queue = OpenQueue(store);
            var checkpoint = new EnergyCheckpoint(store);
            checkpoint.Restore(queue);
            (long, long, long) restored = Registers(checkpoint);
            Assert.True(AtLeast(restored, lastBoot), $"boot {boot}: {restored} went below the previous boot's {lastBoot}");
            Assert.True(AtLeast(restored, mustKeep), $"boot {boot}: {restored} is below {mustKeep}, saved or queued before the cut");
            lastBoot = restored;
            (long import, long export, long pv) = restored;
            sequence = Math.Max(sequence, queue.HighestSequence);
            store.FailAfter(random.Next(50, 3000));
            try
            {
                for (int step = 0; step < 40; step++)
                {
                    clockMs += random.Next(500, 120_000);
                    import += random.Next(0, 30);
                    export += random.Next(0, 10);
                    pv += random.Next(0, 40);
                    bool reading = random.Next(5) == 0;
                    if (reading)
                    {
                        sequence++;
                        interval += 900;
                        queue.Append(sequence, signer.Sign(builder.Build(sequence, interval, import, export, pv)));
                        mustKeep = Max(mustKeep, (import, export, pv));
                    }
                    if (checkpoint.Save(clockMs, import, export, pv, force: reading)) mustKeep = Max(mustKeep, (import, export, pv));
                    if (reading && random.Next(2) == 0) queue.Acknowledge(sequence);
                }
            }
            catch (SimulatedPowerLossException)
            {
                cuts++; // the restart follows at the top of the loop
            }
        }
        Assert.True(cuts > 40, $"only {cuts} of 60 boots ended in a power cut");
    }

    private static long UnitsOfSave(MemoryFileStore before, (long, long, long) next)
    {
        MemoryFileStore probe = before.Clone();
        var checkpoint = new EnergyCheckpoint(probe);
        checkpoint.Restore(0, 0, 0);
        probe.ResetUnitCount();
        checkpoint.Save(99, next.Item1, next.Item2, next.Item3, force: true);
        return probe.UnitsUsed;
    }

    private static ReadingQueue OpenQueue(MemoryFileStore store)
    {
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        return queue;
    }

    private static byte[] Signed(long sequence, long intervalStart, long import, long export, long pv) =>
        new CoseReadingSigner(new byte[32]).Sign(new ReadingBuilder("cg-test", "meter-7", 900, "test-1").Build(sequence, intervalStart, import, export, pv));

    private static (long, long, long) Restored(MemoryFileStore store)
    {
        var checkpoint = new EnergyCheckpoint(store);
        checkpoint.Restore(0, 0, 0);
        return Registers(checkpoint);
    }

    private static (long, long, long) Registers(EnergyCheckpoint checkpoint) => (checkpoint.ImportWh, checkpoint.ExportWh, checkpoint.PvWh);

    private static bool AtLeast((long, long, long) a, (long, long, long) b) => a.Item1 >= b.Item1 && a.Item2 >= b.Item2 && a.Item3 >= b.Item3;

    private static (long, long, long) Max((long, long, long) a, (long, long, long) b) =>
        (Math.Max(a.Item1, b.Item1), Math.Max(a.Item2, b.Item2), Math.Max(a.Item3, b.Item3));
}
