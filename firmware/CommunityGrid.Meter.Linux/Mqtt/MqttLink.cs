using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Meter.Linux.Mqtt
{
    /// <summary>
    /// The meter's MQTT connection (MQTTnet): keeps it up with capped, jittered exponential backoff, re-subscribes
    /// to the meter's down topics after every connect, publishes with QoS 1 and queues what arrives for the meter loop.
    /// Clean sessions: the meter's own persisted queue, not the broker, is what guarantees delivery.
    /// </summary>
    public sealed class MqttLink : IAsyncDisposable
    {
        private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);
        private readonly IMqttClient _client;
        private readonly object _targetLock = new();
        private MqttClientOptions[] _options;
        private string[] _endpoints;
        private int _current;
        private string[] _subscriptions;
        private int _retargetPending;
        private readonly Backoff _backoff;
        private readonly string _username;
        private readonly string _clientId;
        private int _generation;

        public MqttLink(BrokerSettings broker, string clientId, string username, string password, string[] subscriptions)
        {
            _username = username;
            _subscriptions = subscriptions;
            _backoff = new Backoff(broker.ReconnectMaxSeconds * 1000, new Random());
            _client = new MqttClientFactory().CreateMqttClient();
            (_endpoints, _options) = Targets(broker, clientId, username, password);
            _clientId = clientId;
            _client.ApplicationMessageReceivedAsync += e =>
            {
                Received.Enqueue(new ReceivedMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
                return Task.CompletedTask;
            };
        }

        private static (string[] Endpoints, MqttClientOptions[] Options) Targets(BrokerSettings broker, string clientId, string username, string password)
        {
            BrokerEndpoint[] endpoints = broker.Endpoints;
            var names = new string[endpoints.Length];
            var options = new MqttClientOptions[endpoints.Length];
            for (int i = 0; i < endpoints.Length; i++)
            {
                names[i] = broker.Url.Scheme + "://" + endpoints[i].Host + ":" + endpoints[i].Port;
                options[i] = Options(broker, endpoints[i], clientId, username, password);
            }
            return (names, options);
        }

        /// <summary>
        /// From now on the link talks to other brokers, with another password and other subscriptions (a meter that
        /// followed its house to a new chain, docs/breakaway.md §5): the current connection is closed and the next one
        /// goes to the first of <paramref name="broker"/>'s endpoints.
        /// </summary>
        public void Retarget(BrokerSettings broker, string password, string[] subscriptions)
        {
            (string[] endpoints, MqttClientOptions[] options) = Targets(broker, _clientId, _username, password);
            lock (_targetLock)
            {
                _endpoints = endpoints;
                _options = options;
                _subscriptions = subscriptions;
                Volatile.Write(ref _current, 0);
            }
            Volatile.Write(ref _retargetPending, 1);
        }

        private static MqttClientOptions Options(BrokerSettings broker, BrokerEndpoint endpoint, string clientId, string username, string password)
        {
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(endpoint.Host, endpoint.Port)
                // MQTT 5: a refused login comes with a reason code and a reason string the meter can log.
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                .WithClientId(clientId)
                .WithCredentials(username, password)
                .WithCleanSession(true)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
                .WithTimeout(OperationTimeout);
            if (broker.UseTls)
            {
                CaCertificateCheck? ca = broker.CaFile is null ? null : new CaCertificateCheck(broker.CaFile);
                builder.WithTlsOptions(tls =>
                {
                    tls.UseTls(true).WithTargetHost(endpoint.Host);
                    if (ca is not null) tls.WithCertificateValidationHandler(ca.Validate);
                });
            }
            return builder.Build();
        }

        /// <summary>The broker the meter talks to now (or tries next).</summary>
        public string Endpoint
        {
            get
            {
                lock (_targetLock) return _endpoints[_current];
            }
        }

        /// <summary>
        /// Another gateway of the community when the current one cannot be reached: any gateway takes the reading
        /// into the common mempool, and acks come from whichever gateway the meter reached (docs/consensus.md §5).
        /// </summary>
        private void FailOver()
        {
            string from = Endpoint;
            lock (_targetLock)
            {
                if (_endpoints.Length < 2) return;
                _current = (_current + 1) % _endpoints.Length;
            }
            Log.Warn("mqtt.failover", ("from", from), ("to", Endpoint));
        }

        public ConcurrentQueue<ReceivedMessage> Received { get; } = new();

        public bool IsConnected => _client.IsConnected;

        /// <summary>Counts successful connects; a change tells the sender that everything unacknowledged must go again.</summary>
        public int Generation => Volatile.Read(ref _generation);

        /// <summary>Keeps the connection up until <paramref name="stop"/> fires.</summary>
        public async Task RunAsync(CancellationToken stop)
        {
            bool wasConnected = false;
            while (!stop.IsCancellationRequested)
            {
                if (_client.IsConnected && Interlocked.Exchange(ref _retargetPending, 0) == 1)
                {
                    Log.Info("mqtt.retargeted", ("to", Endpoint));
                    await DisconnectQuietly();
                    continue;
                }
                if (_client.IsConnected)
                {
                    await Delay(100, stop);
                    continue;
                }
                if (wasConnected)
                {
                    wasConnected = false;
                    Log.Warn("mqtt.disconnected");
                }
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    timeout.CancelAfter(OperationTimeout);
                    // Cleared before the target is read: a retarget after this point leaves the flag set and is applied next round.
                    Interlocked.Exchange(ref _retargetPending, 0);
                    MqttClientOptions target;
                    string[] subscriptions;
                    lock (_targetLock)
                    {
                        target = _options[_current];
                        subscriptions = _subscriptions;
                    }
                    MqttClientConnectResult connected = await _client.ConnectAsync(target, timeout.Token);
                    if (connected.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        // MQTTnet reports a refusal in the result, not by exception; subscribing would only fail with "not connected".
                        int retry = _backoff.NextDelayMs();
                        Log.Error("mqtt.refused", ("broker", Endpoint), ("code", connected.ResultCode), ("reason", connected.ReasonString ?? ""),
                            ("what_to_do", ConnectRefusal.Advice(connected.ResultCode, _username)), ("retry_ms", retry));
                        FailOver();
                        await Delay(retry, stop);
                        continue;
                    }
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    foreach (string topic in subscriptions) subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
                    await _client.SubscribeAsync(subscribe.Build(), timeout.Token);
                    Interlocked.Increment(ref _generation);
                    wasConnected = true;
                    _backoff.Reset();
                    Log.Info("mqtt.connected", ("broker", Endpoint), ("generation", Generation));
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    int delay = _backoff.NextDelayMs();
                    Log.Warn("mqtt.connect_failed", ("broker", Endpoint), ("error", e.GetType().Name + ": " + e.Message), ("retry_ms", delay));
                    FailOver();
                    await Delay(delay, stop);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // Stopping: MQTTnet ends a cancelled connect with OperationCanceledException or, mid-handshake, with its
                    // own communication exceptions; either way the stop was asked for and is not an error.
                    break;
                }
            }
        }

        /// <summary>Publishes with QoS 1; true once the broker has acknowledged it (PUBACK).</summary>
        public async Task<bool> PublishAsync(string topic, byte[] payload, CancellationToken stop)
        {
            if (!_client.IsConnected) return false;
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(false)
                .Build();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(OperationTimeout);
                MqttClientPublishResult result = await _client.PublishAsync(message, timeout.Token);
                return result.IsSuccess;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Log.Warn("mqtt.publish_failed", ("topic", topic), ("error", e.GetType().Name + ": " + e.Message));
                return false;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // A stop during a publish (issue 11, case 9): not sent as far as the meter knows; the reading stays queued.
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
                }
                catch (Exception e)
                {
                    Log.Warn("mqtt.disconnect_failed", ("error", e.Message));
                }
            }
            _client.Dispose();
        }

        private async Task DisconnectQuietly()
        {
            try
            {
                using var timeout = new CancellationTokenSource(OperationTimeout);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
            catch (Exception e)
            {
                Log.Warn("mqtt.disconnect_failed", ("error", e.Message));
            }
        }

        private static async Task Delay(int ms, CancellationToken stop)
        {
            try
            {
                await Task.Delay(ms, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
