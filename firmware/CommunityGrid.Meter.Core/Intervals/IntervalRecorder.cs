using System;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Intervals
{
    /// <summary>
    /// Watches the clock and, when it crosses an interval boundary, turns the cumulative registers at that moment
    /// into the reading for the interval that just ended and queues it, in this order: build, sign, append to the
    /// <see cref="ReadingQueue"/>, commit the sequence number to the <see cref="SequenceStore"/>. Call
    /// <see cref="Poll"/> from the main loop (about once a second) with synchronised UTC, and publish from the queue
    /// only while <see cref="CommitPending"/> is false.
    /// </summary>
    /// <remarks>
    /// Why the queue comes before the commit: a power cut between the two leaves the reading in the queue and the
    /// store one behind, and at the next start the queue's newest record covers the store (the next number is one
    /// above the larger of the two), so nothing is skipped. Committing first would leave a gap after such a cut.
    /// A torn append loses a reading nobody saw; its number goes to the next reading. Nothing leaves the device
    /// before the commit (see <see cref="CommitPending"/>), so a number that was published is never used again.
    /// Interval rules, each chosen so a reading is never duplicated and energy never lost (registers are cumulative,
    /// so the next reading carries whatever a missing one would have): the first poll after start only notes the
    /// current interval (its start was not observed); the clock going backwards is ignored until it passes the noted
    /// boundary again; several boundaries between two polls give one reading, for the latest finished interval; an
    /// interval at or before the last one reported (committed or queued) is never reported again.
    /// </remarks>
    public sealed class IntervalRecorder
    {
        private readonly ReadingBuilder _builder;
        private readonly SequenceStore _sequences;
        private readonly IReadingSigner _signer;
        private readonly ReadingQueue _queue;
        private readonly ChainMoveStore? _moves;
        private long _currentStart = -1;
        private long _lastReportedStart = -1;
        private long _uncommittedSequence;
        private bool _started;

        public IntervalRecorder(ReadingBuilder builder, SequenceStore sequences, IReadingSigner signer, ReadingQueue queue)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(sequences);
            ArgumentNullException.ThrowIfNull(signer);
            ArgumentNullException.ThrowIfNull(queue);
            _builder = builder;
            _sequences = sequences;
            _signer = signer;
            _queue = queue;
        }

        /// <summary>A recorder that keeps a move to another chain across restarts in <paramref name="moves"/>.</summary>
        public IntervalRecorder(ReadingBuilder builder, SequenceStore sequences, IReadingSigner signer, ReadingQueue queue, ChainMoveStore moves)
            : this(builder, sequences, signer, queue)
        {
            ArgumentNullException.ThrowIfNull(moves);
            _moves = moves;
        }

        /// <summary>The sequence number the next reading gets.</summary>
        public long NextSequence { get; private set; }

        /// <summary>Start of the interval in progress, -1 before the first poll.</summary>
        public long CurrentIntervalStart => _currentStart;

        /// <summary>Start of the interval of the newest reading made (committed or queued), -1 when none was.</summary>
        public long LastReportedIntervalStart => _lastReportedStart;

        /// <summary>
        /// True while a queued reading's sequence number is not yet committed (its commit threw; the next
        /// <see cref="Poll"/> retries it first). Publish nothing meanwhile: a number that left the device could
        /// otherwise be handed out again if the queue later forgot it.
        /// </summary>
        public bool CommitPending => _uncommittedSequence != 0;

        /// <summary>
        /// Loads the sequence store and continues after the larger of it and the queue's highest sequence, and after
        /// the later of the store's interval and the newest queued reading's. When the queue is ahead (a cut between
        /// append and commit), its number is committed here. The queue must be open.
        /// </summary>
        /// <exception cref="StorageException">that catch-up commit failed; the recorder is not started.</exception>
        public void Start()
        {
            _started = false;
            _sequences.Load();
            long queued = _queue.HighestSequence;
            _lastReportedStart = Later(_sequences.LastIntervalStart, NewestQueuedIntervalStart());
            NextSequence = (queued > _sequences.LastSequence ? queued : _sequences.LastSequence) + 1;
            _uncommittedSequence = queued > _sequences.LastSequence ? queued : 0;
            _currentStart = -1;
            CommitQueued();
            RestoreMove();
            _started = true;
        }

        /// <summary>
        /// The reading for the interval that just ended, already queued, when a boundary was crossed since the last
        /// poll; else null. After an exception nothing was queued unless <see cref="CommitPending"/> is true.
        /// </summary>
        /// <exception cref="StorageException">the append or the commit failed; the next poll tries again.</exception>
        public SignedInterval? Poll(long unixSeconds, long importWh, long exportWh, long pvWh)
        {
            if (!_started) throw new InvalidOperationException("call Start before Poll");
            CommitQueued();
            int length = _builder.IntervalLengthSeconds;
            long start = IntervalClock.StartOf(unixSeconds, length);
            if (_currentStart < 0)
            {
                _currentStart = start;
                return null;
            }
            if (start <= _currentStart) return null;

            long finished = start - length;
            if (finished <= _lastReportedStart)
            {
                _currentStart = start;
                return null;
            }
            long sequence = NextSequence;
            MeterReading reading = _builder.Build(sequence, finished, importWh, exportWh, pvWh);
            byte[] signed = _signer.Sign(reading);
            long dropped = Append(sequence, signed);
            // Queued: the number and the interval are spent from here on, whatever the commit does.
            NextSequence = sequence + 1;
            _lastReportedStart = finished;
            _currentStart = start;
            _uncommittedSequence = sequence;
            CommitQueued();
            return new SignedInterval(reading, signed, dropped);
        }

        private long Append(long sequence, byte[] signed)
        {
            try
            {
                return _queue.Append(sequence, signed);
            }
            catch (StorageException) when (_queue.HighestSequence >= sequence)
            {
                // The record landed and the compaction after it failed; the queue stays consistent (the old log is
                // still active), so the reading counts as queued. The dropped sequence, if any, is in DroppedCount.
                return 0;
            }
        }

        private void CommitQueued()
        {
            if (_uncommittedSequence == 0) return;
            _sequences.Commit(_uncommittedSequence, _lastReportedStart);
            _uncommittedSequence = 0;
        }

        /// <summary>
        /// Moves the meter to another chain from the interval starting at <paramref name="fromIntervalStart"/>: only an
        /// interval not yet reported, so no interval is ever signed for both chains (docs/breakaway.md §5).
        /// </summary>
        /// <exception cref="InvalidOperationException">that interval, or a later one, was already reported, or the meter has moved before.</exception>
        /// <exception cref="ArgumentException">the chain id or the interval is not acceptable.</exception>
        public void MoveChain(string newChainId, long fromIntervalStart)
        {
            MoveChain(new MoveInstruction(_builder.ChainId, _builder.MeterId, newChainId, fromIntervalStart), fromIntervalStart);
        }

        /// <summary>
        /// Moves the meter as <paramref name="move"/> says, from <paramref name="fromIntervalStart"/> (which a late
        /// instruction puts after its own interval, see <see cref="MoveInstruction.Apply"/>), and keeps the instruction,
        /// with its new gateway keys and brokers, as <see cref="Move"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">that interval, or a later one, was already reported, or the meter has moved before.</exception>
        /// <exception cref="ArgumentException">the chain id or the interval is not acceptable.</exception>
        /// <exception cref="StorageException">the move could not be persisted; it is not made.</exception>
        public void MoveChain(MoveInstruction move, long fromIntervalStart)
        {
            ArgumentNullException.ThrowIfNull(move);
            if (fromIntervalStart <= _lastReportedStart)
            {
                throw new InvalidOperationException("interval " + fromIntervalStart + " is already reported; a move can only start after interval " + _lastReportedStart);
            }
            _builder.CheckMove(move.NewChainId, fromIntervalStart);
            // Persisted first: a move that a restart could forget would send the new chain's intervals to the old one.
            if (_moves != null) _moves.Save(move, fromIntervalStart);
            _builder.MoveTo(move.NewChainId, fromIntervalStart);
            Move = move;
        }

        /// <summary>The move the meter made (with the new chain's gateway keys and brokers), or null when it has not moved.</summary>
        public MoveInstruction? Move { get; private set; }

        /// <summary>A move persisted before a restart applies again; it was checked when it was made.</summary>
        private void RestoreMove()
        {
            if (_moves == null || _builder.MovedToChainId != null) return;
            _moves.Load();
            if (_moves.Move == null) return;
            _builder.MoveTo(_moves.Move.NewChainId, _moves.FromIntervalStart);
            Move = _moves.Move;
        }

        /// <summary>The interval of the newest reading still queued, -1 when none is.</summary>
        private long NewestQueuedIntervalStart()
        {
            // Peek also refuses a queue that was never opened.
            if (_queue.Peek() == null) return -1;
            byte[] cose = _queue.GetPending(_queue.Count - 1).Payload;
            // Decoded without verifying: this meter signed it, and one Ed25519 check costs seconds of interpreted code.
            return MeterReadingCodec.Decode(CoseSign1.Decode(cose, ContentTypes.Reading).Payload).IntervalStart;
        }

        private static long Later(long a, long b) => a > b ? a : b;
    }
}
