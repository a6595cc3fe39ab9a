using System;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.HomeAssistant
{
    /// <summary>
    /// Home Assistant MQTT discovery for one meter (https://www.home-assistant.io/integrations/sensor.mqtt/ and
    /// .../mqtt/#mqtt-discovery): a retained config per sensor under {prefix}/sensor/{node}/{object}/config, all grouped as
    /// one device identified by the meter id, each with its own plain-number state topic and the meter's availability
    /// topic. Only the meter's own figures are published; nothing from the community's broker is passed on. Shared by the
    /// Linux meter and the ESP32 app, so both offer Home Assistant the same device.
    /// </summary>
    public sealed class HomeAssistantDiscovery
    {
        public const string DefaultPrefix = "homeassistant";
        public const string Online = "online";
        public const string Offline = "offline";

        public static readonly HomeAssistantSensor PvPower = new HomeAssistantSensor("pv_power", "PV power", "W", "power", "measurement", 0);
        public static readonly HomeAssistantSensor ImportPower = new HomeAssistantSensor("import_power", "Import power", "W", "power", "measurement", 0);
        public static readonly HomeAssistantSensor ExportPower = new HomeAssistantSensor("export_power", "Export power", "W", "power", "measurement", 0);
        public static readonly HomeAssistantSensor PvEnergy = new HomeAssistantSensor("pv_energy", "PV energy", "kWh", "energy", "total_increasing", 3);
        public static readonly HomeAssistantSensor ImportEnergy = new HomeAssistantSensor("import_energy", "Import energy", "kWh", "energy", "total_increasing", 3);
        public static readonly HomeAssistantSensor ExportEnergy = new HomeAssistantSensor("export_energy", "Export energy", "kWh", "energy", "total_increasing", 3);

        /// <summary>The sensors every meter has; price and balance follow once the gateway has sent them.</summary>
        public static readonly HomeAssistantSensor[] MeterSensors = { PvPower, ImportPower, ExportPower, PvEnergy, ImportEnergy, ExportEnergy };

        private readonly string _meterId;
        private readonly string _prefix;
        private readonly string _model;
        private readonly string _version;

        /// <param name="model">What Home Assistant shows as the device's model, e.g. "cgrid-meter (ESP32)".</param>
        public HomeAssistantDiscovery(string meterId, string discoveryPrefix, string model, string version)
        {
            ArgumentNullException.ThrowIfNull(meterId);
            ArgumentNullException.ThrowIfNull(discoveryPrefix);
            _meterId = meterId;
            _prefix = discoveryPrefix;
            _model = model;
            _version = version;
            NodeId = "communitygrid_" + TopicSafe(meterId);
            BaseTopic = "communitygrid/" + TopicSafe(meterId);
        }

        /// <summary>Discovery node id and device identifier: Home Assistant allows [a-zA-Z0-9_-] there, so a '.' in a meter id becomes '_'.</summary>
        public string NodeId { get; }

        public string BaseTopic { get; }

        public string AvailabilityTopic => BaseTopic + "/availability";

        /// <summary>The community price (currency per kWh), once the gateway has sent it; its unit is the currency.</summary>
        public static HomeAssistantSensor Price(string currency) => new HomeAssistantSensor("price", "Community price", currency + "/kWh", null, "measurement", 4);

        /// <summary>The house's balance: Home Assistant allows a monetary sensor the state class total or none.</summary>
        public static HomeAssistantSensor Balance(string currency) => new HomeAssistantSensor("balance", "Balance", currency, "monetary", null, 2);

        public string StateTopic(HomeAssistantSensor sensor) => BaseTopic + "/" + sensor.ObjectId;

        public string ConfigTopic(HomeAssistantSensor sensor) => _prefix + "/sensor/" + NodeId + "/" + sensor.ObjectId + "/config";

        /// <summary>The sensor's discovery config: compact JSON, UTF-8.</summary>
        public byte[] Config(HomeAssistantSensor sensor) => Utf8.Encode(ConfigJson(sensor));

        public string ConfigJson(HomeAssistantSensor sensor)
        {
            var w = new JsonText();
            w.StartObject(null);
            w.String("name", sensor.Name);
            w.String("unique_id", NodeId + "_" + sensor.ObjectId);
            w.String("object_id", NodeId + "_" + sensor.ObjectId);
            w.String("state_topic", StateTopic(sensor));
            if (sensor.Unit != null) w.String("unit_of_measurement", sensor.Unit);
            if (sensor.DeviceClass != null) w.String("device_class", sensor.DeviceClass);
            if (sensor.StateClass != null) w.String("state_class", sensor.StateClass);
            if (sensor.Precision != HomeAssistantSensor.NoPrecision) w.Number("suggested_display_precision", sensor.Precision);
            w.String("availability_topic", AvailabilityTopic);
            w.String("payload_available", Online);
            w.String("payload_not_available", Offline);
            w.StartObject("device");
            w.StartArray("identifiers");
            w.String(null, NodeId);
            w.EndArray();
            w.String("name", "CommunityGrid meter " + _meterId);
            w.String("manufacturer", "CommunityGrid");
            w.String("model", _model);
            w.String("sw_version", _version);
            w.EndObject();
            w.EndObject();
            return w.ToString();
        }

        /// <summary>
        /// The states after a reading: energies are the cumulative registers (kWh); powers the average over the interval
        /// since the previous reading (W), when there is one.
        /// </summary>
        public HomeAssistantState[] States(MeterSample current, MeterSample? previous)
        {
            ArgumentNullException.ThrowIfNull(current);
            bool withPower = previous != null && current.UnixSeconds > previous.UnixSeconds;
            var states = new HomeAssistantState[withPower ? 6 : 3];
            states[0] = new HomeAssistantState(StateTopic(ImportEnergy), Kwh(current.ImportWh));
            states[1] = new HomeAssistantState(StateTopic(ExportEnergy), Kwh(current.ExportWh));
            states[2] = new HomeAssistantState(StateTopic(PvEnergy), Kwh(current.PvWh));
            if (withPower)
            {
                long seconds = current.UnixSeconds - previous!.UnixSeconds;
                states[3] = new HomeAssistantState(StateTopic(ImportPower), Watts(current.ImportWh - previous.ImportWh, seconds));
                states[4] = new HomeAssistantState(StateTopic(ExportPower), Watts(current.ExportWh - previous.ExportWh, seconds));
                states[5] = new HomeAssistantState(StateTopic(PvPower), Watts(current.PvWh - previous.PvWh, seconds));
            }
            return states;
        }

        /// <summary>Wh as kWh with exactly three decimals, from the integer (no floating point).</summary>
        public static string Kwh(long wh) => Decimal(wh, 3);

        /// <summary>An integer amount of 10^-digits units as a decimal with exactly <paramref name="digits"/> decimals.</summary>
        public static string Decimal(long amount, int digits)
        {
            if (digits < 0 || digits > 18) throw new ArgumentException("digits must be 0..18", nameof(digits));
            // The magnitude as ulong, so long.MinValue has one too; an unsigned number's digits do not depend on the culture.
            ulong magnitude = amount < 0 ? (ulong)(-(amount + 1)) + 1 : (ulong)amount;
            string text = magnitude.ToString();
            if (digits == 0) return (amount < 0 ? "-" : "") + text;
            while (text.Length < digits + 1) text = "0" + text;
            return (amount < 0 ? "-" : "") + text.Substring(0, text.Length - digits) + "." + text.Substring(text.Length - digits);
        }

        private static string Watts(long wh, long seconds) => Decimal(wh * 3600 / seconds, 0);

        private static string TopicSafe(string id)
        {
            char[] chars = id.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                if (!safe) chars[i] = '_';
            }
            return new string(chars);
        }
    }
}
