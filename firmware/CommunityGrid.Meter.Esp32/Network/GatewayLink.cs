using System;
using System.Security.Cryptography.X509Certificates;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Queue;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace CommunityGrid.Meter.Esp32.Network
{
    /// <summary>
    /// MQTT to the street gateway (M2Mqtt 5.x). Readings go up one at a time, oldest first, QoS 1; the reading stays in
    /// the persisted queue until a signed acknowledgement for it (or a later one: acks are cumulative) arrives, and is
    /// sent again after a reconnect or 30 s without an ack (the core's <see cref="ResendSchedule"/>); reconnects follow
    /// the core's <see cref="ReconnectBackoff"/> (2 s doubling to 5 min, jittered). M2Mqtt's session is RAM-only, so the
    /// queue, not the client, is what survives power loss. Received messages are only queued here by the client's
    /// thread and handled by the main loop, which owns the reading queue. A move instruction on the move topic moves the
    /// meter to its house's new chain; once the old chain has acked its last interval the link talks to the new chain
    /// (the core's <see cref="MoveFollower"/> and <see cref="LinkTarget"/>, docs/protocol.md §7.5). A light-client meter
    /// also takes the proofs topic and hands its messages to the core's <see cref="MeterLightClient"/>, which alone
    /// releases committed readings (§7.6); after a move it falls back to the new chain's signed acks (§7.8).
    /// </summary>
    internal sealed class GatewayLink
    {
        private const int FirstBackoffMs = 2_000;
        private const int MaxBackoffMs = 300_000;

        private readonly MeterConfig _config;
        private readonly byte[] _seed;
        private readonly MoveFollower _follower;
        private string _password;
        private LinkTarget _target;
        private readonly GatewayDownlink _downlink;
        private readonly X509Certificate? _caCert;
        private readonly MessageInbox _inbox = new MessageInbox(32);
        private MqttClient? _client;
        // Random() is the hardware RNG on the ESP32 (see HardwareEntropy): meters do not reconnect in lockstep.
        private readonly ReconnectBackoff _backoff = new ReconnectBackoff(FirstBackoffMs, MaxBackoffMs, new Random());
        private readonly ResendSchedule _resend = new ResendSchedule();
        private MeterLightClient? _proofs;

        /// <param name="proofs">null unless the meter is a light client (lightclient.validators).</param>
        public GatewayLink(MeterConfig config, byte[] seed, GatewayDownlink downlink, byte[]? caCert, MoveFollower follower, MeterLightClient? proofs)
        {
            _proofs = proofs;
            _config = config;
            _seed = seed;
            _follower = follower;
            _target = LinkTarget.FromConfig(config);
            _password = MqttCredentials.Password(config.ChainId, config.MeterId, seed);
            _downlink = downlink;
            _caCert = caCert == null ? null : new X509Certificate(caCert);
            // The app sends one reading at a time; this only bounds the library's own buffer.
            MqttSettings.Instance.InflightQueueSize = 4;
        }

        public bool IsConnected => _client != null && _client.IsConnected;

        /// <summary>One step of the link, from the main loop: (re)connect with backoff, apply received messages, publish.</summary>
        /// <param name="meterInterval">The light client's clock: the meter's last signed sequence (docs/meter.md).</param>
        public void Service(long nowMs, ReadingQueue queue, long meterInterval)
        {
            FollowMove();
            _proofs?.Refresh(meterInterval);
            if (!IsConnected && _backoff.IsDue(nowMs)) TryConnect(nowMs);
            HandleInbox(meterInterval);
            if (!IsConnected) return;
            QueuedReading? next = queue.Peek();
            if (next == null) return;
            if (!_resend.ShouldSend(next.Sequence, nowMs)) return;
            try
            {
                _client!.Publish(MqttTopics.Readings(_target.ChainId, _config.MeterId), next.Payload, null, null, MqttQoSLevel.AtLeastOnce, false);
                _resend.Sent(next.Sequence, nowMs);
            }
            catch (Exception ex)
            {
                Console.WriteLine("MQTT publish of reading " + next.Sequence + " failed: " + ex.Message);
            }
        }

        /// <summary>Once the old chain has every interval before the move, the link goes to the new chain (the queue's head is then the new chain's).</summary>
        private void FollowMove()
        {
            if (_target.ChainId != _config.ChainId || !_follower.OldChainDone) return;
            _target = LinkTarget.AfterMove(_follower);
            _password = MqttCredentials.Password(_target.ChainId, _config.MeterId, _seed);
            _downlink.MoveTo(_target.ChainId, _target.Signers);
            if (_proofs != null)
            {
                _proofs.FallBackToAcks(_downlink);
                _proofs = null;
                Console.WriteLine("LIGHT CLIENT OFF: the new chain's commits cannot be verified with the configured validators; its signed acks release readings (set lightclient.validators for it)");
            }
            Close();
            Console.WriteLine("MOVED to chain " + _target.ChainId + ": reporting to " + _target.Host + ":" + _target.Port);
        }

        private void TryConnect(long nowMs)
        {
            Close();
            MqttClient? client = null;
            try
            {
                client = new MqttClient(_target.Host, _target.Port, _target.Tls, _caCert, null, _target.Tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                client.MqttMsgPublishReceived += OnMessage;
                MqttReasonCode code = client.Connect(_config.MeterId, MqttCredentials.Username(_config.MeterId), _password, true, 60);
                if (code != MqttReasonCode.Success) throw new Exception("broker refused: " + code.ToString());
                // The move topic is the old chain's: subscribed only while the link is with it; so is the proofs topic.
                bool onOld = _target.ChainId == _config.ChainId;
                int count = 2 + (onOld ? 1 : 0) + (_proofs != null ? 1 : 0);
                string[] topics = new string[count];
                MqttQoSLevel[] qos = new MqttQoSLevel[count];
                topics[0] = _downlink.AcksTopic;
                topics[1] = _downlink.DisplayTopic;
                if (onOld) topics[2] = _follower.MoveTopic;
                if (_proofs != null) topics[count - 1] = _proofs.ProofsTopic;
                for (int i = 0; i < count; i++) qos[i] = MqttQoSLevel.AtLeastOnce;
                client.Subscribe(topics, qos);
                _client = client;
                client = null;
                _backoff.Reset();
                _resend.Reconnected();
            }
            catch (Exception ex)
            {
                int delayMs = _backoff.Failed(nowMs);
                Console.WriteLine("MQTT connect to " + _target.Host + ":" + _target.Port + " failed: " + ex.Message + "; trying " + _target.Failed() + " in " + (delayMs / 1000) + " s");
            }
            finally
            {
                if (client != null) Release(client); // refused, timed out or half made: it still holds a socket, TLS and a thread
            }
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e) => _inbox.Add(e.Topic, e.Message);

        private void HandleInbox(long meterInterval)
        {
            for (InboxMessage? message = _inbox.Take(); message != null; message = _inbox.Take())
            {
                try
                {
                    Apply(message.Topic, message.Payload, meterInterval);
                }
                catch (Exception ex)
                {
                    // Unsigned, foreign or malformed messages change nothing.
                    Console.WriteLine("ignored message on " + message.Topic + ": " + ex.Message);
                }
            }
        }

        /// <summary>The core's GatewayDownlink releases acked readings and shows a rejection (with its reason) on the LCD.</summary>
        private void Apply(string topic, byte[] payload, long meterInterval)
        {
            if (topic == _downlink.AcksTopic)
            {
                GatewayAck ack = _downlink.ApplyAck(payload, out bool released);
                _resend.Acknowledged(ack.Sequence);
                if (released && ack.Status == AckStatus.Rejected) Console.WriteLine("READING REJECTED #" + ack.Sequence + " by the chain: " + ack.Reason + "; " + RejectionAdvice.For(ack.Reason));
            }
            else if (topic == _downlink.DisplayTopic) _downlink.ApplyDisplay(payload);
            else if (_proofs != null && topic == _proofs.ProofsTopic) Console.WriteLine("PROOF " + _proofs.Apply(payload, meterInterval).ToString());
            else if (topic == _follower.MoveTopic && _follower.Apply(payload)) Console.WriteLine("MOVE to chain " + _follower.Move!.NewChainId + " from interval " + _follower.FromIntervalStart);
        }

        private void Close()
        {
            MqttClient? old = _client;
            _client = null;
            if (old != null) Release(old);
        }

        /// <summary>Disconnects if still connected and always disposes: a dropped client still owns its socket and thread.</summary>
        private void Release(MqttClient client)
        {
            client.MqttMsgPublishReceived -= OnMessage;
            try
            {
                if (client.IsConnected) client.Disconnect();
            }
            catch (Exception)
            {
                // The connection is gone either way; disposing is what frees it.
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
