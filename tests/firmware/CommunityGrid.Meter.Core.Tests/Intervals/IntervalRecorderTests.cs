using System;
using System.Collections.Generic;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Tests.Intervals;

public class IntervalRecorderTests
{
    private const long Midnight = 1709251200;
    private const int Length = 900;
    private static readonly IReadingSigner Signer = TestSigner.Create();

    /// <summary>What a meter has after boot: the queue opened, the recorder started on the same store.</summary>
    private sealed class Device
    {
        public Device(MemoryFileStore store, QueueOptions? options = null)
        {
            Store = store;
            Queue = new ReadingQueue(store, options ?? new QueueOptions());
            Queue.Open();
            Recorder = new IntervalRecorder(new ReadingBuilder("cg-test", "house-7", Length, "1.0.0"), new SequenceStore(store), Signer, Queue);
            Recorder.Start();
        }

        public MemoryFileStore Store { get; }

        public ReadingQueue Queue { get; }

        public IntervalRecorder Recorder { get; }

        public SequenceStore ReloadSequences()
        {
            var sequences = new SequenceStore(Store);
            sequences.Load();
            return sequences;
        }
    }

    [Fact]
    public void FirstPollOnlyNotesTheIntervalThenEachBoundaryQueuesOneReading()
    {
        var device = new Device(new MemoryFileStore());
        var recorder = device.Recorder;
        Assert.Null(recorder.Poll(Midnight + 100, 10, 20, 30));
        Assert.Null(recorder.Poll(Midnight + 899, 11, 20, 30));

        SignedInterval first = recorder.Poll(Midnight + 900, 12, 21, 31)!;
        Assert.Equal(1, first.Sequence);
        Assert.Equal(Midnight, first.Reading.IntervalStart);
        Assert.Equal(Length, first.Reading.IntervalLengthSeconds);
        Assert.Equal(12, first.Reading.ImportWh);
        Assert.Equal(21, first.Reading.ExportWh);
        Assert.Equal(31, first.Reading.PvWh);
        Assert.Equal("house-7", first.Reading.MeterId);
        Assert.Equal(MeterReadingCodec.Encode(first.Reading), MeterReadingCodec.Encode(TestSigner.Open(first.Signed)));
        Assert.Equal(0, first.DroppedSequence);
        Assert.Equal(1, device.Queue.Count);
        Assert.Equal(first.Signed, device.Queue.Peek()!.Payload);
        Assert.Equal(1, device.ReloadSequences().LastSequence);
        Assert.False(recorder.CommitPending);

        Assert.Null(recorder.Poll(Midnight + 901, 12, 21, 31));
        SignedInterval second = recorder.Poll(Midnight + 1805, 13, 21, 31)!;
        Assert.Equal(2, second.Sequence);
        Assert.Equal(Midnight + 900, second.Reading.IntervalStart);
        Assert.Equal(2, device.Queue.Count);
        Assert.Equal(Midnight + 900, recorder.LastReportedIntervalStart);
    }

    [Fact]
    public void SeveralBoundariesBetweenPollsGiveOneReadingForTheLatestFinishedInterval()
    {
        var recorder = new Device(new MemoryFileStore()).Recorder;
        recorder.Poll(Midnight + 10, 0, 0, 0);
        SignedInterval reading = recorder.Poll(Midnight + 3 * Length + 5, 5, 0, 0)!;
        Assert.Equal(1, reading.Sequence);
        Assert.Equal(Midnight + 2 * Length, reading.Reading.IntervalStart);
    }

    [Fact]
    public void ClockGoingBackwardsNeverRepeatsAnInterval()
    {
        var recorder = new Device(new MemoryFileStore()).Recorder;
        recorder.Poll(Midnight + 10, 0, 0, 0);
        Assert.NotNull(recorder.Poll(Midnight + Length + 10, 1, 0, 0));
        Assert.Null(recorder.Poll(Midnight + 10, 1, 0, 0));
        Assert.Null(recorder.Poll(Midnight + Length + 20, 1, 0, 0));
        SignedInterval next = recorder.Poll(Midnight + 2 * Length, 2, 0, 0)!;
        Assert.Equal(2, next.Sequence);
        Assert.Equal(Midnight + Length, next.Reading.IntervalStart);
    }

    [Fact]
    public void SequenceContinuesAfterARestartAndAnIntervalIsNotReportedTwice()
    {
        var store = new MemoryFileStore();
        var recorder = new Device(store).Recorder;
        recorder.Poll(Midnight + 10, 0, 0, 0);
        recorder.Poll(Midnight + Length, 1, 0, 0);
        recorder.Poll(Midnight + 2 * Length, 2, 0, 0);

        // Restart with a clock that stepped back into an interval already reported.
        var restarted = new Device(store).Recorder;
        Assert.Equal(3, restarted.NextSequence);
        restarted.Poll(Midnight + Length + 5, 2, 0, 0);
        Assert.Null(restarted.Poll(Midnight + 2 * Length + 5, 2, 0, 0));
        SignedInterval next = restarted.Poll(Midnight + 3 * Length, 3, 0, 0)!;
        Assert.Equal(3, next.Sequence);
        Assert.Equal(Midnight + 2 * Length, next.Reading.IntervalStart);
    }

    [Fact]
    public void StartFollowsTheQueueWhenTheSequenceFileIsBehindAndCatchesTheFileUp()
    {
        var store = new MemoryFileStore();
        var recorder = new Device(store).Recorder;
        recorder.Poll(Midnight + 10, 0, 0, 0);
        for (int i = 1; i <= 3; i++) recorder.Poll(Midnight + i * Length, i, 0, 0);
        // Both slot files lost: only the queue remembers readings 1..3.
        store.Delete("seq.0");
        store.Delete("seq.1");

        var restarted = new Device(store);
        Assert.Equal(4, restarted.Recorder.NextSequence);
        Assert.Equal(Midnight + 2 * Length, restarted.Recorder.LastReportedIntervalStart);
        Assert.Equal(3, restarted.ReloadSequences().LastSequence);
        Assert.Equal(Midnight + 2 * Length, restarted.ReloadSequences().LastIntervalStart);
        restarted.Recorder.Poll(Midnight + 2 * Length + 5, 3, 0, 0);
        Assert.Null(restarted.Recorder.Poll(Midnight + 3 * Length, 3, 0, 0));
        SignedInterval next = restarted.Recorder.Poll(Midnight + 4 * Length, 4, 0, 0)!;
        Assert.Equal(4, next.Sequence);
        Assert.Equal(Midnight + 3 * Length, next.Reading.IntervalStart);
    }

    [Fact]
    public void StartContinuesAboveReadingsTheQueueAlreadyReleased()
    {
        var store = new MemoryFileStore();
        var device = new Device(store);
        device.Recorder.Poll(Midnight + 10, 0, 0, 0);
        for (int i = 1; i <= 3; i++) device.Recorder.Poll(Midnight + i * Length, i, 0, 0);
        Assert.True(device.Queue.Acknowledge(3));
        store.Delete("seq.0");
        store.Delete("seq.1");

        Assert.Equal(4, new Device(store).Recorder.NextSequence);
    }

    [Fact]
    public void AFullQueueDropsItsOldestAndTheReadingSaysWhich()
    {
        var device = new Device(new MemoryFileStore(), new QueueOptions { Capacity = 2 });
        device.Recorder.Poll(Midnight + 10, 0, 0, 0);
        device.Recorder.Poll(Midnight + Length, 1, 0, 0);
        device.Recorder.Poll(Midnight + 2 * Length, 2, 0, 0);
        SignedInterval third = device.Recorder.Poll(Midnight + 3 * Length, 3, 0, 0)!;
        Assert.Equal(1, third.DroppedSequence);
        Assert.Equal(1, device.Queue.DroppedCount);
    }

    public static TheoryData<bool> QueueStates => new() { false, true };

    /// <summary>
    /// Cuts the power at every unit a reading writes (with a full queue: the cursor of the dropped reading, the append,
    /// the compaction it triggers, the commit) and restarts. What the app may publish is what a poll returned: the
    /// readings before, and this one when the poll came back.
    /// </summary>
    [Theory]
    [MemberData(nameof(QueueStates))]
    public void APowerCutAtEveryUnitOfAReadingNeverRepeatsAPublishedNumberAndNeverSkipsOne(bool fullQueue)
    {
        QueueOptions Options() => fullQueue ? new QueueOptions { Capacity = 2, CompactAfterReleased = 1 } : new QueueOptions();
        var baseline = new MemoryFileStore();
        var warmup = new Device(baseline, Options());
        warmup.Recorder.Poll(Midnight, 0, 0, 0);
        var publishedBefore = new Dictionary<long, byte[]>();
        for (int i = 1; i <= 3; i++)
        {
            SignedInterval made = warmup.Recorder.Poll(Midnight + i * Length, i, 0, 0)!;
            publishedBefore[made.Sequence] = made.Signed;
        }
        const long Boundary = Midnight + 4 * Length;

        int cuts = 0;
        for (long budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            var device = new Device(store, Options());
            device.Recorder.Poll(Boundary - 10, 3, 0, 0);
            store.FailAfter(budget);
            SignedInterval? made = null;
            try
            {
                made = device.Recorder.Poll(Boundary + 1, 4, 0, 0);
            }
            catch (SimulatedPowerLossException)
            {
                cuts++;
            }
            var published = new Dictionary<long, byte[]>(publishedBefore);
            if (made != null) published[made.Sequence] = made.Signed;
            store.PowerOn();

            var restarted = new Device(store, Options());
            AssertContiguousAndAbovePublished(restarted, published);
            // The clock steps back into the interval that just ended: if its reading landed, it is not made again.
            long queuedBefore = restarted.Queue.HighestSequence;
            restarted.Recorder.Poll(Boundary - 5, 4, 0, 0);
            SignedInterval? again = restarted.Recorder.Poll(Boundary + 2, 4, 0, 0);
            if (queuedBefore >= 4)
            {
                Assert.Null(again);
            }
            else
            {
                Assert.Equal(4, again!.Sequence);
                Assert.Equal(Midnight + 3 * Length, again.Reading.IntervalStart);
            }
            AssertContiguousAndAbovePublished(restarted, published);
            if (made != null) break;
        }
        Assert.True(cuts > 100, cuts + " cuts");
    }

    /// <summary>
    /// A storage error that passes without a restart: the next poll repeats the failed step, nothing else. With a full
    /// queue the append is followed by a compaction; a failure there leaves the reading queued.
    /// </summary>
    [Theory]
    [MemberData(nameof(QueueStates))]
    public void AFailedAppendOrCommitIsRepeatedByTheNextPollWithTheSameNumber(bool fullQueue)
    {
        QueueOptions Options() => fullQueue ? new QueueOptions { Capacity = 1, CompactAfterReleased = 1 } : new QueueOptions();
        var baseline = new MemoryFileStore();
        var warmup = new Device(baseline, Options());
        warmup.Recorder.Poll(Midnight, 0, 0, 0);
        warmup.Recorder.Poll(Midnight + Length, 1, 0, 0);
        const long Boundary = Midnight + 2 * Length;

        int commitFailures = 0;
        for (long budget = 0; ; budget++)
        {
            var device = new Device(baseline.Clone(), Options());
            device.Recorder.Poll(Boundary - 10, 1, 0, 0);
            device.Store.FailAfter(budget);
            try
            {
                if (device.Recorder.Poll(Boundary + 1, 2, 0, 0) != null) break;
            }
            catch (SimulatedPowerLossException)
            {
            }
            device.Store.PowerOn();
            bool queued = device.Recorder.CommitPending;
            if (queued) commitFailures++;
            Assert.Equal(queued, device.Queue.HighestSequence == 2);

            SignedInterval? retried = device.Recorder.Poll(Boundary + 2, 2, 0, 0);
            Assert.False(device.Recorder.CommitPending);
            if (queued) Assert.Null(retried);
            else Assert.Equal(2, retried!.Sequence);
            Assert.Equal(2, device.ReloadSequences().LastSequence);
            Assert.Equal(fullQueue ? new long[] { 2 } : new long[] { 1, 2 }, Pending(device.Queue));
            Assert.Equal(3, device.Recorder.NextSequence);
        }
        Assert.True(commitFailures > 0, "no budget failed the commit after a whole append");
    }

    [Fact]
    public void PollBeforeStartIsAnError()
    {
        var store = new MemoryFileStore();
        var queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        var recorder = new IntervalRecorder(new ReadingBuilder("c", "m", Length, "1"), new SequenceStore(store), Signer, queue);
        Assert.Throws<InvalidOperationException>(() => recorder.Poll(Midnight, 0, 0, 0));
    }

    [Fact]
    public void StartRefusesAQueueThatWasNotOpened()
    {
        var store = new MemoryFileStore();
        var recorder = new IntervalRecorder(new ReadingBuilder("c", "m", Length, "1"), new SequenceStore(store), Signer, new ReadingQueue(store, new QueueOptions()));
        Assert.Throws<InvalidOperationException>(() => recorder.Start());
    }

    [Fact]
    public void BadConfigurationFailsAtConstructionWithTheProtocolsMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReadingBuilder("c", "m", 700, "1"));
        Assert.Contains("IntervalLengthSeconds", e.Message);
        Assert.Throws<ArgumentException>(() => new ReadingBuilder("", "m", 900, "1"));
    }

    [Fact]
    public void CoseSignerProducesAReadingThatVerifies()
    {
        var recorder = new Device(new MemoryFileStore()).Recorder;
        recorder.Poll(Midnight + 1, 0, 0, 0);
        SignedInterval signed = recorder.Poll(Midnight + Length, 123, 45, 678)!;

        OpenedReading opened = SignedReading.Open(signed.Signed);
        Assert.True(opened.SignatureValid);
        Assert.Equal(123, opened.Reading.ImportWh);
        Assert.Equal(1, opened.Reading.Sequence);
        Assert.Throws<ArgumentException>(() => new CoseReadingSigner(new byte[31]));
    }

    /// <summary>
    /// No skip: the waiting readings run without a gap from the release cursor to the queue's highest sequence, and the
    /// next number follows it. No repeat: every number that may have been published is at or below that highest one
    /// (so the next is above it) and, while still queued, names the same bytes. The sequence file is not behind.
    /// </summary>
    private static void AssertContiguousAndAbovePublished(Device device, Dictionary<long, byte[]> published)
    {
        ReadingQueue queue = device.Queue;
        long[] pending = Pending(queue);
        for (int i = 0; i < pending.Length; i++) Assert.Equal(queue.ReleasedThrough + 1 + i, pending[i]);
        Assert.Equal(queue.HighestSequence, queue.ReleasedThrough + pending.Length);
        Assert.Equal(queue.HighestSequence + 1, device.Recorder.NextSequence);
        Assert.Equal(queue.HighestSequence, device.ReloadSequences().LastSequence);
        Assert.False(device.Recorder.CommitPending);
        foreach (KeyValuePair<long, byte[]> sent in published)
        {
            Assert.True(sent.Key <= queue.HighestSequence, "published sequence " + sent.Key + " would be used again");
            for (int i = 0; i < queue.Count; i++)
            {
                if (queue.GetPending(i).Sequence == sent.Key) Assert.Equal(sent.Value, queue.GetPending(i).Payload);
            }
        }
    }

    private static long[] Pending(ReadingQueue queue)
    {
        var sequences = new long[queue.Count];
        for (int i = 0; i < sequences.Length; i++) sequences[i] = queue.GetPending(i).Sequence;
        return sequences;
    }
}
