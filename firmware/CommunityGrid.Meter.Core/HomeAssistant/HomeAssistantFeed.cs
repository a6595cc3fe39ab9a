using System;
using CommunityGrid.Meter.Display;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.HomeAssistant
{
    /// <summary>
    /// What the meter owes the household's broker: the newest payload per topic (discovery configs, states,
    /// availability), all retained, and which of them the broker has not had yet. The link that owns the connection asks
    /// for the next unsent one, configs first so Home Assistant knows a sensor before its first state, and marks it sent
    /// once published. A new connection owes everything again: the broker may have restarted without persistence.
    /// </summary>
    public sealed class HomeAssistantFeed
    {
        /// <summary>Six meter sensors, price and balance: a config and a state each, and the availability.</summary>
        public const int Capacity = 17;

        private readonly string[] _topics = new string[Capacity];
        private readonly byte[][] _payloads = new byte[Capacity][];
        private readonly bool[] _unsent = new bool[Capacity];
        private int _count;
        private MeterSample? _last;
        // What PriceAndBalance last saw: the app calls it every second, and building a config allocates on the device.
        private string _seenCurrency = "";
        private long _seenPrice = long.MinValue;
        private long _seenBalance = long.MinValue;
        private int _seenDecimals = -1;

        public HomeAssistantFeed(HomeAssistantDiscovery discovery)
        {
            ArgumentNullException.ThrowIfNull(discovery);
            Discovery = discovery;
            for (int i = 0; i < HomeAssistantDiscovery.MeterSensors.Length; i++) Offer(HomeAssistantDiscovery.MeterSensors[i]);
        }

        public HomeAssistantDiscovery Discovery { get; }

        /// <summary>Topics currently held (each with its newest payload).</summary>
        public int Count => _count;

        /// <summary>Makes <paramref name="sensor"/> known to Home Assistant (its retained discovery config).</summary>
        public void Offer(HomeAssistantSensor sensor) => Set(Discovery.ConfigTopic(sensor), Discovery.Config(sensor));

        public void Set(string topic, string value) => Set(topic, Utf8.Encode(value));

        /// <summary>The registers of a new reading (Wh) at the end of its interval: energies, and powers since the previous one.</summary>
        public void Reading(long endUnixSeconds, long importWh, long exportWh, long pvWh)
        {
            var sample = new MeterSample(endUnixSeconds, importWh, exportWh, pvWh);
            HomeAssistantState[] states = Discovery.States(sample, _last);
            for (int i = 0; i < states.Length; i++) Set(states[i].Topic, states[i].Value);
            _last = sample;
        }

        /// <summary>The community price and the house's balance, as the gateway last sent them for the LCD.</summary>
        public void PriceAndBalance(MeterDisplayState state)
        {
            ArgumentNullException.ThrowIfNull(state);
            if (state.CurrencyCode.Length == 0) return;
            long seenPrice = state.HasPrice ? state.PriceMinorPerKwh : long.MinValue;
            long seenBalance = state.HasBalance ? state.BalanceMinor : long.MinValue;
            if (state.CurrencyCode == _seenCurrency && state.CurrencyDecimals == _seenDecimals && seenPrice == _seenPrice && seenBalance == _seenBalance) return;
            _seenCurrency = state.CurrencyCode;
            _seenDecimals = state.CurrencyDecimals;
            _seenPrice = seenPrice;
            _seenBalance = seenBalance;
            if (state.HasPrice)
            {
                HomeAssistantSensor price = HomeAssistantDiscovery.Price(state.CurrencyCode);
                Offer(price);
                Set(Discovery.StateTopic(price), HomeAssistantDiscovery.Decimal(state.PriceMinorPerKwh, state.CurrencyDecimals));
            }
            if (state.HasBalance)
            {
                HomeAssistantSensor balance = HomeAssistantDiscovery.Balance(state.CurrencyCode);
                Offer(balance);
                Set(Discovery.StateTopic(balance), HomeAssistantDiscovery.Decimal(state.BalanceMinor, state.CurrencyDecimals));
            }
        }

        /// <summary>A new session with the broker: everything goes again, with "online".</summary>
        public void Connected()
        {
            for (int i = 0; i < _count; i++) _unsent[i] = true;
            Set(Discovery.AvailabilityTopic, HomeAssistantDiscovery.Online);
        }

        /// <summary>The index of the next payload to publish (a config before any state), or -1 when the broker has everything.</summary>
        public int NextUnsent()
        {
            int firstState = -1;
            for (int i = 0; i < _count; i++)
            {
                if (!_unsent[i]) continue;
                if (IsConfig(_topics[i])) return i;
                if (firstState < 0) firstState = i;
            }
            return firstState;
        }

        public string TopicAt(int index) => _topics[index];

        public byte[] PayloadAt(int index) => _payloads[index];

        /// <summary>The broker accepted the payload at <paramref name="index"/> (unless it was replaced meanwhile: then the newer one is still owed).</summary>
        public void Sent(int index, byte[] payload)
        {
            if (ReferenceEquals(_payloads[index], payload)) _unsent[index] = false;
        }

        private void Set(string topic, byte[] payload)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_topics[i] != topic) continue;
                if (SameBytes(_payloads[i], payload)) return;
                _payloads[i] = payload;
                _unsent[i] = true;
                return;
            }
            // Only the fixed set of topics above is ever set: more would be a programming error, not a runtime condition.
            if (_count == Capacity) throw new InvalidOperationException("more than " + Capacity + " Home Assistant topics");
            _topics[_count] = topic;
            _payloads[_count] = payload;
            _unsent[_count] = true;
            _count++;
        }

        private static bool IsConfig(string topic)
        {
            const string suffix = "/config";
            return topic.Length >= suffix.Length && topic.Substring(topic.Length - suffix.Length) == suffix;
        }

        private static bool SameBytes(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i]) return false;
            }
            return true;
        }
    }
}
