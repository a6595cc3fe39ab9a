using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CommunityGrid.Meter.Linux.HomeAssistant
{
    /// <summary>One sensor the meter offers Home Assistant: its object id, name, unit and classes.</summary>
    public sealed record HomeAssistantSensor(string ObjectId, string Name, string? Unit, string? DeviceClass, string? StateClass, int? Precision);

    /// <summary>
    /// Home Assistant MQTT discovery for one meter (https://www.home-assistant.io/integrations/sensor.mqtt/ and
    /// .../mqtt/#mqtt-discovery): a retained config per sensor under {prefix}/sensor/{node}/{object}/config, all grouped as
    /// one device identified by the meter id, each with its own plain-number state topic and the meter's availability
    /// topic. Only the meter's own figures are published; nothing from the community's broker is passed on.
    /// </summary>
    public sealed class HomeAssistantDiscovery
    {
        public static readonly HomeAssistantSensor PvPower = new("pv_power", "PV power", "W", "power", "measurement", 0);
        public static readonly HomeAssistantSensor ImportPower = new("import_power", "Import power", "W", "power", "measurement", 0);
        public static readonly HomeAssistantSensor ExportPower = new("export_power", "Export power", "W", "power", "measurement", 0);
        public static readonly HomeAssistantSensor PvEnergy = new("pv_energy", "PV energy", "kWh", "energy", "total_increasing", 3);
        public static readonly HomeAssistantSensor ImportEnergy = new("import_energy", "Import energy", "kWh", "energy", "total_increasing", 3);
        public static readonly HomeAssistantSensor ExportEnergy = new("export_energy", "Export energy", "kWh", "energy", "total_increasing", 3);

        private readonly string _meterId;
        private readonly string _prefix;
        private readonly string _version;

        public HomeAssistantDiscovery(string meterId, string discoveryPrefix, string version)
        {
            _meterId = meterId;
            _prefix = discoveryPrefix;
            _version = version;
            NodeId = "communitygrid_" + TopicSafe(meterId);
            BaseTopic = "communitygrid/" + TopicSafe(meterId);
        }

        /// <summary>Discovery node id and device identifier: Home Assistant allows [a-zA-Z0-9_-] there, so a '.' in a meter id becomes '_'.</summary>
        public string NodeId { get; }

        public string BaseTopic { get; }

        public string AvailabilityTopic => BaseTopic + "/availability";

        public const string Online = "online";
        public const string Offline = "offline";

        /// <summary>The community price (currency per kWh) and the house's balance, once the gateway has sent them; their unit is the currency.</summary>
        public static HomeAssistantSensor Price(string currency) => new("price", "Community price", currency + "/kWh", null, "measurement", 4);

        public static HomeAssistantSensor Balance(string currency) => new("balance", "Balance", currency, "monetary", null, 2);

        public string StateTopic(HomeAssistantSensor sensor) => BaseTopic + "/" + sensor.ObjectId;

        public string ConfigTopic(HomeAssistantSensor sensor) => _prefix + "/sensor/" + NodeId + "/" + sensor.ObjectId + "/config";

        public byte[] Config(HomeAssistantSensor sensor)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("name", sensor.Name);
                w.WriteString("unique_id", NodeId + "_" + sensor.ObjectId);
                w.WriteString("object_id", NodeId + "_" + sensor.ObjectId);
                w.WriteString("state_topic", StateTopic(sensor));
                if (sensor.Unit is not null) w.WriteString("unit_of_measurement", sensor.Unit);
                if (sensor.DeviceClass is not null) w.WriteString("device_class", sensor.DeviceClass);
                if (sensor.StateClass is not null) w.WriteString("state_class", sensor.StateClass);
                if (sensor.Precision is int digits) w.WriteNumber("suggested_display_precision", digits);
                w.WriteString("availability_topic", AvailabilityTopic);
                w.WriteString("payload_available", Online);
                w.WriteString("payload_not_available", Offline);
                w.WriteStartObject("device");
                w.WriteStartArray("identifiers");
                w.WriteStringValue(NodeId);
                w.WriteEndArray();
                w.WriteString("name", "CommunityGrid meter " + _meterId);
                w.WriteString("manufacturer", "CommunityGrid");
                w.WriteString("model", "cgrid-meter (Linux)");
                w.WriteString("sw_version", _version);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            return buffer.ToArray();
        }

        /// <summary>Wh as kWh with exactly three decimals, from the integer (no floating point).</summary>
        public static string Kwh(long wh) => (wh / 1000).ToString(CultureInfo.InvariantCulture) + "." + (wh % 1000).ToString("D3", CultureInfo.InvariantCulture);

        /// <summary>An integer amount of 10^-digits units as a decimal, exactly.</summary>
        public static string Decimal(long amount, int digits)
        {
            if (digits == 0) return amount.ToString(CultureInfo.InvariantCulture);
            string sign = amount < 0 ? "-" : "";
            string magnitude = Math.Abs((decimal)amount).ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
            return sign + magnitude[..^digits] + "." + magnitude[^digits..];
        }

        /// <summary>
        /// The states after a reading: energies are the cumulative registers (kWh); powers the average over the interval
        /// since the previous reading (W), when there is one.
        /// </summary>
        public IReadOnlyList<KeyValuePair<string, string>> States(MeterSample current, MeterSample? previous)
        {
            var states = new List<KeyValuePair<string, string>>
            {
                new(StateTopic(ImportEnergy), Kwh(current.ImportWh)),
                new(StateTopic(ExportEnergy), Kwh(current.ExportWh)),
                new(StateTopic(PvEnergy), Kwh(current.PvWh)),
            };
            if (previous is { } p && current.UnixSeconds > p.UnixSeconds)
            {
                long seconds = current.UnixSeconds - p.UnixSeconds;
                states.Add(new(StateTopic(ImportPower), Watts(current.ImportWh - p.ImportWh, seconds)));
                states.Add(new(StateTopic(ExportPower), Watts(current.ExportWh - p.ExportWh, seconds)));
                states.Add(new(StateTopic(PvPower), Watts(current.PvWh - p.PvWh, seconds)));
            }
            return states;
        }

        private static string Watts(long wh, long seconds) => (wh * 3600 / seconds).ToString(CultureInfo.InvariantCulture);

        private static string TopicSafe(string id)
        {
            var safe = new StringBuilder(id.Length);
            foreach (char c in id) safe.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' ? c : '_');
            return safe.ToString();
        }
    }

    /// <summary>The meter's registers (Wh) at the end of an interval ending at <see cref="UnixSeconds"/>.</summary>
    public readonly record struct MeterSample(long UnixSeconds, long ImportWh, long ExportWh, long PvWh);
}
