using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Protocol.Cose;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// How a meter follows its house to a new chain (docs/breakaway.md §5, docs/protocol.md §7.5), the same on every
    /// runtime: it takes the signed move instruction from its move topic, and its messaging stays with the old chain
    /// until every interval before the move is reported and released (acknowledged) there; from then on it talks only to
    /// the new chain, with the new chain's brokers, credentials and gateway keys. While on the old chain it publishes
    /// only the old chain's readings, so an ack never releases a reading of the other chain.
    /// </summary>
    public sealed class MoveFollower
    {
        private readonly ReadingBuilder _builder;
        private readonly IntervalRecorder _recorder;
        private readonly ReadingQueue _queue;
        private readonly TrustedSigners _signers;
        private bool _oldChainDone;

        /// <param name="signers">The keys a move instruction may be signed by: the meter's gateway keys and any installer keys it is configured with.</param>
        public MoveFollower(ReadingBuilder builder, IntervalRecorder recorder, ReadingQueue queue, TrustedSigners signers)
        {
            ArgumentNullException.ThrowIfNull(builder);
            ArgumentNullException.ThrowIfNull(recorder);
            ArgumentNullException.ThrowIfNull(queue);
            ArgumentNullException.ThrowIfNull(signers);
            _builder = builder;
            _recorder = recorder;
            _queue = queue;
            _signers = signers;
            MoveTopic = MqttTopics.Move(builder.ChainId, builder.MeterId);
        }

        /// <summary>The topic the instruction comes on: the old chain's, under which the meter is configured.</summary>
        public string MoveTopic { get; }

        /// <summary>The move made (also one restored after a restart), or null.</summary>
        public MoveInstruction? Move => _recorder.Move;

        /// <summary>The first interval signed for the new chain; -1 without a move.</summary>
        public long FromIntervalStart => _builder.MovedFromIntervalStart;

        /// <summary>Verifies and applies an instruction (<see cref="MoveInstruction.Apply"/>); false when it repeats the move already made.</summary>
        public bool Apply(byte[] cose)
        {
            return MoveInstruction.Apply(cose, _signers, _builder, _recorder);
        }

        /// <summary>
        /// True once the meter has moved and every interval before the move is reported and out of the queue: the old
        /// chain has nothing more to get, and the meter talks to the new one. Once true it stays true.
        /// </summary>
        public bool OldChainDone
        {
            get
            {
                if (_oldChainDone || Move == null) return _oldChainDone;
                long from = FromIntervalStart;
                if (_recorder.LastReportedIntervalStart < from - _builder.IntervalLengthSeconds) return false;
                if (_queue.Count > 0 && IntervalOf(_queue.GetPending(0)) < from) return false;
                _oldChainDone = true;
                return true;
            }
        }

        /// <summary>The chain the meter's messaging is with now: the new one once <see cref="OldChainDone"/>.</summary>
        public string ChainInUse => OldChainDone ? Move!.NewChainId : _builder.ChainId;

        /// <summary>Whether a queued reading is for <see cref="ChainInUse"/>, the only ones to publish now.</summary>
        public bool IsForChainInUse(QueuedReading reading)
        {
            return ChainOf(reading) == ChainInUse;
        }

        /// <summary>The chain a queued reading is signed for.</summary>
        public string ChainOf(QueuedReading reading)
        {
            ArgumentNullException.ThrowIfNull(reading);
            return _builder.ChainIdFor(IntervalOf(reading));
        }

        /// <summary>The keys acks and display data of the new chain are checked against.</summary>
        /// <exception cref="InvalidOperationException">the meter has not moved.</exception>
        public TrustedSigners NewChainSigners()
        {
            if (Move == null) throw new InvalidOperationException("the meter has not moved");
            return new TrustedSigners(Move.NewGatewayKeys);
        }

        /// <summary>The new chain's brokers, preferred first.</summary>
        /// <exception cref="InvalidOperationException">the meter has not moved.</exception>
        public BrokerUrl[] NewBrokers()
        {
            if (Move == null) throw new InvalidOperationException("the meter has not moved");
            BrokerUrl[] brokers = new BrokerUrl[Move.NewBrokers.Length];
            for (int i = 0; i < brokers.Length; i++) brokers[i] = BrokerUrl.Parse(Move.NewBrokers[i]);
            return brokers;
        }

        private static long IntervalOf(QueuedReading reading)
        {
            // Decoded without verifying: this meter signed it (see IntervalRecorder, one Ed25519 check costs seconds on the ESP32).
            return MeterReadingCodec.Decode(CoseSign1.Decode(reading.Payload, ContentTypes.Reading).Payload).IntervalStart;
        }
    }
}
