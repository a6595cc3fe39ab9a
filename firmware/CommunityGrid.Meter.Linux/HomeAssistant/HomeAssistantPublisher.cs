using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Meter.HomeAssistant;
using CommunityGrid.Meter.Linux.Config;
using CommunityGrid.Meter.Linux.Logging;
using CommunityGrid.Meter.Linux.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommunityGrid.Meter.Linux.HomeAssistant
{
    /// <summary>
    /// Publishes the meter's figures to the household's own broker for Home Assistant: discovery configs, states and
    /// availability, all retained, so Home Assistant has them whenever it (re)starts. Runs on its own connection and task:
    /// the meter loop only hands over the newest values (<see cref="Set"/>) and never waits for this broker, so a
    /// household broker that is down or slow costs the community's readings nothing. The broker's last will marks the
    /// meter offline when the process dies; a clean stop says so itself.
    /// </summary>
    public sealed class HomeAssistantPublisher : IAsyncDisposable
    {
        private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(5);
        private readonly IMqttClient _client;
        private readonly MqttClientOptions _options;
        private readonly Backoff _backoff;
        private readonly string _endpoint;
        private readonly object _gate = new();
        // Newest value per topic, and which of them the broker has not had yet; configs are states of their own topics.
        private readonly SortedDictionary<string, byte[]> _latest = new(StringComparer.Ordinal);
        private readonly HashSet<string> _unsent = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _changed = new(0);

        public HomeAssistantPublisher(HomeAssistantSettings settings, HomeAssistantDiscovery discovery, string clientId)
        {
            Discovery = discovery;
            BrokerSettings broker = settings.Broker;
            _endpoint = broker.Url.Scheme + "://" + broker.Host + ":" + broker.Port;
            _backoff = new Backoff(broker.ReconnectMaxSeconds * 1000, new Random());
            _client = new MqttClientFactory().CreateMqttClient();
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(broker.Host, broker.Port)
                .WithClientId(clientId)
                .WithCleanSession(true)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
                .WithTimeout(OperationTimeout)
                .WithWillTopic(discovery.AvailabilityTopic)
                .WithWillPayload(Encoding.UTF8.GetBytes(HomeAssistantDiscovery.Offline))
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (settings.Username is not null) builder.WithCredentials(settings.Username, settings.Password);
            if (broker.UseTls)
            {
                CaCertificateCheck? ca = broker.CaFile is null ? null : new CaCertificateCheck(broker.CaFile);
                builder.WithTlsOptions(tls =>
                {
                    tls.UseTls(true).WithTargetHost(broker.Host);
                    if (ca is not null) tls.WithCertificateValidationHandler(ca.Validate);
                });
            }
            _options = builder.Build();
            foreach (HomeAssistantSensor sensor in HomeAssistantDiscovery.MeterSensors) Offer(sensor);
        }

        public HomeAssistantDiscovery Discovery { get; }

        /// <summary>Makes <paramref name="sensor"/> known to Home Assistant (its retained discovery config).</summary>
        public void Offer(HomeAssistantSensor sensor) => Set(Discovery.ConfigTopic(sensor), Discovery.Config(sensor));

        public void Set(string topic, string value) => Set(topic, Encoding.UTF8.GetBytes(value));

        private void Set(string topic, byte[] payload)
        {
            lock (_gate)
            {
                if (_latest.TryGetValue(topic, out byte[]? old) && old.AsSpan().SequenceEqual(payload)) return;
                _latest[topic] = payload;
                _unsent.Add(topic);
            }
            _changed.Release();
        }

        /// <summary>Keeps the connection up and the broker's retained values current until <paramref name="stop"/> fires.</summary>
        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                if (!_client.IsConnected && !await ConnectAsync(stop)) continue;
                await PublishUnsentAsync(stop);
                try
                {
                    await _changed.WaitAsync(TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        private async Task<bool> ConnectAsync(CancellationToken stop)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(OperationTimeout);
                MqttClientConnectResult result = await _client.ConnectAsync(_options, timeout.Token);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    int retry = _backoff.NextDelayMs();
                    Log.Warn("homeassistant.refused", ("broker", _endpoint), ("code", result.ResultCode),
                        ("what_to_do", "check homeAssistant.username and homeAssistant.password in the meter's config against the household broker's users"), ("retry_ms", retry));
                    await Delay(retry, stop);
                    return false;
                }
                _backoff.Reset();
                // A new session: the broker may have restarted without persistence, so everything goes again.
                lock (_gate) _unsent.UnionWith(_latest.Keys);
                Set(Discovery.AvailabilityTopic, HomeAssistantDiscovery.Online);
                Log.Info("homeassistant.connected", ("broker", _endpoint));
                return true;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                int retry = _backoff.NextDelayMs();
                Log.Warn("homeassistant.connect_failed", ("broker", _endpoint), ("error", e.GetType().Name + ": " + e.Message), ("retry_ms", retry));
                await Delay(retry, stop);
                return false;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return false;
            }
        }

        private async Task PublishUnsentAsync(CancellationToken stop)
        {
            List<KeyValuePair<string, byte[]>> due;
            lock (_gate)
            {
                due = new List<KeyValuePair<string, byte[]>>(_unsent.Count);
                foreach (string topic in _unsent) due.Add(new(topic, _latest[topic]));
                _unsent.Clear();
            }
            // Configs first, so Home Assistant knows a sensor before its first state arrives.
            due.Sort((a, b) => IsConfig(b.Key).CompareTo(IsConfig(a.Key)));
            for (int i = 0; i < due.Count; i++)
            {
                if (await PublishAsync(due[i].Key, due[i].Value, stop)) continue;
                // Not delivered: keep it (and the rest) for the next connection, unless a newer value replaced it meanwhile.
                lock (_gate)
                {
                    for (int j = i; j < due.Count; j++) _unsent.Add(due[j].Key);
                }
                return;
            }
        }

        private static bool IsConfig(string topic) => topic.EndsWith("/config", StringComparison.Ordinal);

        private async Task<bool> PublishAsync(string topic, byte[] payload, CancellationToken stop)
        {
            if (!_client.IsConnected) return false;
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(true).Build();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(OperationTimeout);
                return (await _client.PublishAsync(message, timeout.Token)).IsSuccess;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Log.Warn("homeassistant.publish_failed", ("topic", topic), ("error", e.GetType().Name + ": " + e.Message));
                return false;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return false;
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

        /// <summary>A clean stop: the newest values and "offline" go out (bounded), then the connection closes without the will.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                Set(Discovery.AvailabilityTopic, HomeAssistantDiscovery.Offline);
                await PublishUnsentAsync(timeout.Token);
                try
                {
                    await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
                }
                catch (Exception e)
                {
                    Log.Warn("homeassistant.disconnect_failed", ("error", e.GetType().Name + ": " + e.Message));
                }
            }
            _client.Dispose();
            _changed.Dispose();
        }
    }
}
