using System;
using CommunityGrid.Meter.Configuration;
using CommunityGrid.Meter.Display;
using CommunityGrid.Meter.HomeAssistant;
using CommunityGrid.Meter.Messaging;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace CommunityGrid.Meter.Esp32.Network
{
    /// <summary>
    /// Home Assistant on the household's own broker (docs/meter.md, "Home Assistant"): a second M2Mqtt client, plain MQTT
    /// on the home network, whose retained last will marks the meter offline. What is owed and in which order is the
    /// core's <see cref="HomeAssistantFeed"/>; this connects (with the core's backoff) and publishes a few payloads per
    /// call, retained, so a household broker that is slow or gone never holds up the readings.
    /// </summary>
    internal sealed class HomeAssistantLink
    {
        /// <summary>Below M2Mqtt's inflight queue size (GatewayLink sets 4); the rest goes on the next rounds.</summary>
        private const int PublishesPerService = 2;

        private readonly HomeAssistantConfig _config;
        private readonly string _clientId;
        private readonly ReconnectBackoff _backoff = new ReconnectBackoff(2_000, 300_000, new Random());
        private MqttClient? _client;

        public HomeAssistantLink(HomeAssistantConfig config, string meterId, string version)
        {
            _config = config;
            _clientId = "cgrid-meter-ha-" + meterId;
            Feed = new HomeAssistantFeed(new HomeAssistantDiscovery(meterId, config.Prefix, "cgrid-meter (ESP32)", version));
        }

        public HomeAssistantFeed Feed { get; }

        /// <summary>One step from the main loop: the gateway's price and balance, (re)connect when due, publish what is owed.</summary>
        public void Service(long nowMs, MeterDisplayState state)
        {
            Feed.PriceAndBalance(state);
            if ((_client == null || !_client.IsConnected) && _backoff.IsDue(nowMs)) TryConnect(nowMs);
            if (_client == null || !_client.IsConnected) return;
            for (int n = 0; n < PublishesPerService; n++)
            {
                int i = Feed.NextUnsent();
                if (i < 0) return;
                byte[] payload = Feed.PayloadAt(i);
                try
                {
                    _client.Publish(Feed.TopicAt(i), payload, null, null, MqttQoSLevel.AtLeastOnce, true);
                    Feed.Sent(i, payload);
                }
                catch (Exception ex)
                {
                    Console.WriteLine("Home Assistant publish to " + Feed.TopicAt(i) + " failed: " + ex.Message);
                    return;
                }
            }
        }

        private void TryConnect(long nowMs)
        {
            Close();
            MqttClient? client = null;
            try
            {
                client = new MqttClient(_config.Host, _config.Port, false, null, null, MqttSslProtocols.None);
                // An empty user name or password is not sent (anonymous broker). Will: retained "offline", QoS 1.
                MqttReasonCode code = client.Connect(_clientId, _config.Username, _config.Password, true, MqttQoSLevel.AtLeastOnce, true,
                    Feed.Discovery.AvailabilityTopic, HomeAssistantDiscovery.Offline, true, 60);
                if (code != MqttReasonCode.Success) throw new Exception("broker refused: " + code.ToString() + "; check homeassistant.username and homeassistant.password");
                _client = client;
                client = null;
                _backoff.Reset();
                Feed.Connected();
            }
            catch (Exception ex)
            {
                int delayMs = _backoff.Failed(nowMs);
                Console.WriteLine("Home Assistant broker " + _config.Host + ":" + _config.Port + ": " + ex.Message + "; next try in " + (delayMs / 1000) + " s");
            }
            finally
            {
                if (client != null) Release(client); // refused or half made: it still holds a socket and a thread
            }
        }

        private void Close()
        {
            MqttClient? old = _client;
            _client = null;
            if (old != null) Release(old);
        }

        private void Release(MqttClient client)
        {
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
