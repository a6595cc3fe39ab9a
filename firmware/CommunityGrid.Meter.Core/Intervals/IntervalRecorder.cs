using System;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>
    /// Watches the clock and, when it crosses an interval boundary, turns the cumulative registers at that moment
    /// into the reading for the interval that just ended: next sequence number, committed to the
    /// <see cref="SequenceStore"/> first (write-ahead), then built and signed. Call <see cref="Poll"/> from the main
    /// loop (about once a second) with UTC time that has been synchronised; it does no I/O except the commit.
    /// </summary>
    /// <remarks>
    /// Rules, each chosen so a reading is never duplicated and energy is never lost (registers are cumulative, so
    /// the next reading carries whatever a missing one would have):
    /// the first poll after start only notes the current interval (its start was not observed);
    /// the clock going backwards is ignored until it passes the noted boundary again;
    /// when several boundaries passed between two polls, one reading is made, for the latest finished interval;
    /// an interval at or before the last committed one is never reported again (e.g. a clock step across a reboot).
    /// </remarks>
    public sealed class IntervalRecorder
    {
        private readonly ReadingBuilder _builder;
        private readonly SequenceStore _sequences;
        private readonly IReadingSigner _signer;
        private long _currentStart = -1;
        private bool _started;

        public IntervalRecorder(ReadingBuilder builder, SequenceStore sequences, IReadingSigner signer)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(sequences);
            ArgumentNullException.ThrowIfNull(signer);
            _builder = builder;
            _sequences = sequences;
            _signer = signer;
        }

        /// <summary>The sequence number the next reading gets.</summary>
        public long NextSequence { get; private set; }

        /// <summary>Start of the interval in progress, -1 before the first poll.</summary>
        public long CurrentIntervalStart => _currentStart;

        /// <summary>
        /// Loads the persisted sequence and continues after the larger of it and <paramref name="highestQueuedSequence"/>
        /// (the queue's newest record), so neither a lost slot file nor a lost queue can make a number repeat.
        /// </summary>
        public void Start(long highestQueuedSequence)
        {
            _sequences.Load();
            long last = _sequences.LastSequence;
            if (highestQueuedSequence > last) last = highestQueuedSequence;
            NextSequence = last + 1;
            _currentStart = -1;
            _started = true;
        }

        /// <summary>The reading for the interval that just ended when a boundary was crossed since the last poll, else null.</summary>
        public SignedInterval? Poll(long unixSeconds, long importWh, long exportWh, long pvWh)
        {
            if (!_started) throw new InvalidOperationException("call Start before Poll");
            int length = _builder.IntervalLengthSeconds;
            long start = IntervalClock.StartOf(unixSeconds, length);
            if (_currentStart < 0)
            {
                _currentStart = start;
                return null;
            }
            if (start <= _currentStart) return null;

            long finished = start - length;
            if (finished <= _sequences.LastIntervalStart)
            {
                _currentStart = start;
                return null;
            }
            long sequence = NextSequence;
            // Commit before anything leaves the device: if the power fails after this line the number is spent,
            // which costs a gap the gateway tolerates; committing later could cost a repeated number, which it rejects.
            _sequences.Commit(sequence, finished);
            NextSequence = sequence + 1;
            _currentStart = start;
            MeterReading reading = _builder.Build(sequence, finished, importWh, exportWh, pvWh);
            return new SignedInterval(reading, _signer.Sign(reading));
        }
    }
}
