using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// Makes the reading of each interval that ends, in this order: build, sign, append to the persisted queue,
    /// then commit the sequence number to the <see cref="SequenceStore"/>; only after that may it be published.
    /// </summary>
    /// <remarks>
    /// The core's IntervalRecorder commits the sequence number first and queues afterwards, so a crash between the two
    /// leaves a gap in the sequence (which the gateway tolerates). Queue-first closes that gap, which the kill -9 tests
    /// demand ("none skipped"), without ever repeating a number that left the device: a reading is published only
    /// after both writes, and at start the next number continues after the larger of the two stores. A crash between
    /// the two writes leaves the reading in the queue and the store one behind; the queue's newest record covers it.
    /// A torn append loses a reading that was never published, and its number is used again for the next interval.
    /// The interval rules are the recorder's: an interval at or before the last one reported is never reported again.
    /// </remarks>
    public sealed class ReadingProducer
    {
        private readonly ReadingBuilder _builder;
        private readonly SequenceStore _sequences;
        private readonly IReadingSigner _signer;
        private readonly ReadingQueue _queue;

        public ReadingProducer(ReadingBuilder builder, SequenceStore sequences, IReadingSigner signer, ReadingQueue queue)
        {
            _builder = builder;
            _sequences = sequences;
            _signer = signer;
            _queue = queue;
        }

        public long NextSequence { get; private set; }

        /// <summary>Start of the interval of the newest reading made, -1 before any.</summary>
        public long LastIntervalStart { get; private set; } = -1;

        /// <summary>The newest reading still waiting in the queue, if any (its registers bound the persisted ones from below).</summary>
        public MeterReading? NewestQueued { get; private set; }

        /// <summary>Loads the sequence store; the queue must already be open.</summary>
        public void Start()
        {
            _sequences.Load();
            NewestQueued = _queue.Count == 0 ? null : Decode(_queue.GetPending(_queue.Count - 1).Payload);
            long last = Math.Max(_sequences.LastSequence, _queue.HighestSequence);
            NextSequence = last + 1;
            LastIntervalStart = Math.Max(_sequences.LastIntervalStart, NewestQueued?.IntervalStart ?? -1);
        }

        /// <summary>The reading for the interval that ended at <paramref name="boundaryUnixSeconds"/>, or null when that interval was already reported.</summary>
        /// <exception cref="Meter.Storage.StorageException">the queue or the sequence store could not be written; nothing was published.</exception>
        public ProducedReading? Produce(long boundaryUnixSeconds, long importWh, long exportWh, long pvWh)
        {
            long finished = boundaryUnixSeconds - _builder.IntervalLengthSeconds;
            if (finished <= LastIntervalStart) return null;
            long sequence = NextSequence;
            MeterReading reading = _builder.Build(sequence, finished, importWh, exportWh, pvWh);
            byte[] signed = _signer.Sign(reading);
            long dropped = _queue.Append(sequence, signed);
            _sequences.Commit(sequence, finished);
            NextSequence = sequence + 1;
            LastIntervalStart = finished;
            NewestQueued = reading;
            return new ProducedReading(new SignedInterval(reading, signed), dropped);
        }

        private static MeterReading Decode(byte[] cose)
        {
            // Our own bytes, checked when they were made; only the payload is needed here.
            return MeterReadingCodec.Decode(CoseSign1.Decode(cose, ContentTypes.Reading).Payload);
        }
    }
}
