using System;
using System.Collections.Generic;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Tests.Intervals;

public class IntervalRecorderTests
{
    private const long Midnight = 1709251200;
    private const int Length = 900;

    private static IntervalRecorder NewRecorder(IFileStore store, long highestQueued = 0, IReadingSigner? signer = null)
    {
        var recorder = new IntervalRecorder(new ReadingBuilder("cg-test", "house-7", Length, "1.0.0"), new SequenceStore(store), signer ?? new FakeSigner());
        recorder.Start(highestQueued);
        return recorder;
    }

    [Fact]
    public void FirstPollOnlyNotesTheIntervalThenEachBoundaryMakesOneReading()
    {
        var recorder = NewRecorder(new MemoryFileStore());
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
        Assert.Equal(MeterReadingCodec.Encode(first.Reading), first.Signed);

        Assert.Null(recorder.Poll(Midnight + 901, 12, 21, 31));
        SignedInterval second = recorder.Poll(Midnight + 1805, 13, 21, 31)!;
        Assert.Equal(2, second.Sequence);
        Assert.Equal(Midnight + 900, second.Reading.IntervalStart);
    }

    [Fact]
    public void SeveralBoundariesBetweenPollsGiveOneReadingForTheLatestFinishedInterval()
    {
        var recorder = NewRecorder(new MemoryFileStore());
        recorder.Poll(Midnight + 10, 0, 0, 0);
        SignedInterval reading = recorder.Poll(Midnight + 3 * Length + 5, 5, 0, 0)!;
        Assert.Equal(1, reading.Sequence);
        Assert.Equal(Midnight + 2 * Length, reading.Reading.IntervalStart);
    }

    [Fact]
    public void ClockGoingBackwardsNeverRepeatsAnInterval()
    {
        var recorder = NewRecorder(new MemoryFileStore());
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
        var recorder = NewRecorder(store);
        recorder.Poll(Midnight + 10, 0, 0, 0);
        recorder.Poll(Midnight + Length, 1, 0, 0);
        recorder.Poll(Midnight + 2 * Length, 2, 0, 0);

        // Restart with a clock that stepped back into an interval already reported.
        var restarted = NewRecorder(store);
        Assert.Equal(3, restarted.NextSequence);
        restarted.Poll(Midnight + Length + 5, 2, 0, 0);
        Assert.Null(restarted.Poll(Midnight + 2 * Length + 5, 2, 0, 0));
        SignedInterval next = restarted.Poll(Midnight + 3 * Length, 3, 0, 0)!;
        Assert.Equal(3, next.Sequence);
        Assert.Equal(Midnight + 2 * Length, next.Reading.IntervalStart);
    }

    [Fact]
    public void StartContinuesAboveTheQueueWhenTheSequenceFileIsBehind()
    {
        var recorder = NewRecorder(new MemoryFileStore(), highestQueued: 41);
        Assert.Equal(42, recorder.NextSequence);
    }

    [Fact]
    public void APowerCutAtAnyByteOfTheCommitNeverLetsASequenceRepeat()
    {
        var baseline = new MemoryFileStore();
        var warmup = NewRecorder(baseline);
        warmup.Poll(Midnight, 0, 0, 0);
        for (int i = 1; i <= 3; i++) warmup.Poll(Midnight + i * Length, i, 0, 0);
        var published = new HashSet<long> { 1, 2, 3 };

        for (int budget = 0; ; budget++)
        {
            MemoryFileStore store = baseline.Clone();
            var recorder = NewRecorder(store);
            recorder.Poll(Midnight + 3 * Length + 1, 3, 0, 0);
            store.FailAfter(budget);
            SignedInterval? made = null;
            try
            {
                made = recorder.Poll(Midnight + 4 * Length, 4, 0, 0);
            }
            catch (SimulatedPowerLossException)
            {
            }
            store.PowerOn();

            var restarted = NewRecorder(store);
            Assert.False(published.Contains(restarted.NextSequence), "sequence " + restarted.NextSequence + " would repeat");
            if (made != null)
            {
                Assert.Equal(4, made.Sequence);
                Assert.Equal(5, restarted.NextSequence);
                break;
            }
            Assert.True(restarted.NextSequence == 4 || restarted.NextSequence == 5);
        }
    }

    [Fact]
    public void PollBeforeStartIsAnError()
    {
        var recorder = new IntervalRecorder(new ReadingBuilder("c", "m", Length, "1"), new SequenceStore(new MemoryFileStore()), new FakeSigner());
        Assert.Throws<InvalidOperationException>(() => recorder.Poll(Midnight, 0, 0, 0));
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
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.Length; i++) seed[i] = (byte)(i * 7 + 1);
        var recorder = NewRecorder(new MemoryFileStore(), signer: new CoseReadingSigner(seed));
        recorder.Poll(Midnight + 1, 0, 0, 0);
        SignedInterval signed = recorder.Poll(Midnight + Length, 123, 45, 678)!;

        OpenedReading opened = SignedReading.Open(signed.Signed);
        Assert.True(opened.SignatureValid);
        Assert.Equal(123, opened.Reading.ImportWh);
        Assert.Equal(1, opened.Reading.Sequence);
        Assert.Throws<ArgumentException>(() => new CoseReadingSigner(new byte[31]));
    }
}
