using System;
using System.Linq;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Mqtt;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Cose;

namespace CommunityGrid.Meter.Linux.Runtime
{
    /// <summary>
    /// The meter following its house to a new chain (docs/breakaway.md §5), on the core's <see cref="MoveFollower"/>:
    /// takes the signed move instruction from the move topic (refusals logged as <c>move.refused</c>, changing nothing),
    /// keeps publishing only the old chain's readings to the old chain until the last of them is acknowledged, then
    /// points the MQTT link at the new chain's brokers with the new chain's credentials, topics and gateway keys.
    /// </summary>
    public sealed class MoveHandler
    {
        private readonly MoveFollower _follower;
        private readonly MeterSettings _settings;
        private readonly MqttLink _link;
        private readonly Func<string, string> _passwordFor;
        private readonly ReadingQueue _queue;
        private readonly IFileStore _files;

        /// <param name="passwordFor">The meter's MQTT password on a chain (derived from its key, docs/protocol.md §7.1).</param>
        public MoveHandler(MoveFollower follower, MeterSettings settings, MqttLink link, Func<string, string> passwordFor, ReadingQueue queue, IFileStore files)
        {
            _follower = follower;
            _settings = settings;
            _link = link;
            _passwordFor = passwordFor;
            _queue = queue;
            _files = files;
            LinkedChainId = settings.ChainId;
            if (follower.Move is { } move)
            {
                Log.Info("move.restored", ("new_chain", move.NewChainId), ("from_interval", follower.FromIntervalStart), ("brokers", string.Join(",", move.NewBrokers)));
            }
        }

        /// <summary>The topic the instruction comes on (subscribed on the old chain's broker).</summary>
        public string MoveTopic => _follower.MoveTopic;

        /// <summary>The chain the MQTT link talks to now.</summary>
        public string LinkedChainId { get; private set; }

        /// <summary>Applies a message of the move topic; false for any other topic.</summary>
        public bool Handle(ReceivedMessage message)
        {
            if (message.Topic != _follower.MoveTopic) return false;
            try
            {
                if (!_follower.Apply(message.Payload))
                {
                    Log.Info("move.repeated", ("new_chain", _follower.Move!.NewChainId), ("from_interval", _follower.FromIntervalStart));
                    return true;
                }
            }
            catch (Exception e) when (e is FormatException or UntrustedSignerException or CoseSignatureException or InvalidOperationException or ArgumentException)
            {
                Log.Warn("move.refused", ("reason", e.Message), ("chain", _settings.ChainId));
                return true;
            }
            catch (StorageException e)
            {
                Log.Error("move.not_persisted", ("error", e.Message), ("detail", "the move is not made; the instruction is taken again at the next connect"));
                return true;
            }
            MoveInstruction move = _follower.Move!;
            Log.Info("move.applied", ("new_chain", move.NewChainId), ("from_interval", _follower.FromIntervalStart),
                ("from", DateTimeOffset.FromUnixTimeSeconds(_follower.FromIntervalStart).ToString("O")), ("brokers", string.Join(",", move.NewBrokers)),
                ("gateway_keys", move.NewGatewayKeys.Length));
            return true;
        }

        /// <summary>Whether a queued reading may go out on the link now: only the linked chain's readings do.</summary>
        public bool IsForLinkedChain(QueuedReading reading) => _follower.Move is null || _follower.ChainOf(reading) == LinkedChainId;

        /// <summary>
        /// Once the old chain has every reading it is owed, points the link at the new chain; returns the downlink
        /// handler for the new chain's acks and display data (null when nothing changed).
        /// </summary>
        public DownlinkHandler? SwitchIfOldChainDone(MeterDisplayState display)
        {
            if (LinkedChainId != _settings.ChainId || !_follower.OldChainDone) return null;
            MoveInstruction move = _follower.Move!;
            BrokerUrl[] brokers = _follower.NewBrokers();
            BrokerSettings current = _settings.Broker;
            BrokerUrl first = brokers[0];
            var target = new BrokerSettings(new Uri((first.Tls ? "mqtts://" : "mqtt://") + first.Host + ":" + first.Port), first.Tls, first.Host, first.Port,
                first.Tls ? current.CaFile : null, current.ReconnectMaxSeconds,
                brokers.Length > 1 ? brokers.Skip(1).Select(b => new BrokerEndpoint(b.Host, b.Port)).ToArray() : null);
            string meterId = _settings.MeterId;
            _link.Retarget(target, _passwordFor(move.NewChainId),
                new[] { MqttTopics.Acks(move.NewChainId, meterId), MqttTopics.Display(move.NewChainId, meterId) });
            LinkedChainId = move.NewChainId;
            Log.Info("move.switched", ("chain", move.NewChainId), ("broker", target.Url.ToString()), ("queue", _queue.Count),
                ("detail", "every interval before the move is acknowledged by the old chain; readings go to the new chain from here on"));
            return new DownlinkHandler(move.NewChainId, meterId, _follower.NewChainSigners(), _queue, display, _files, _settings.DataDirectory);
        }
    }
}
