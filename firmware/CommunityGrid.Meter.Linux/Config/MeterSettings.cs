using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Time;

namespace CommunityGrid.Meter.Linux.Config
{
    /// <param name="Fallbacks">Other gateways' brokers of the same community, tried in order when the current one cannot be reached
    /// (docs/meter-linux.md, "Several gateways"); same scheme and CA as <paramref name="Url"/>.</param>
    public sealed record BrokerSettings(Uri Url, bool UseTls, string Host, int Port, string? CaFile, int ReconnectMaxSeconds, BrokerEndpoint[]? Fallbacks = null)
    {
        /// <summary>The primary broker first, then the fallbacks.</summary>
        public BrokerEndpoint[] Endpoints
        {
            get
            {
                var all = new List<BrokerEndpoint> { new BrokerEndpoint(Host, Port) };
                if (Fallbacks is not null) all.AddRange(Fallbacks);
                return all.ToArray();
            }
        }
    }

    public sealed record BrokerEndpoint(string Host, int Port);

    public sealed record SensorSettings(
        SensorKind Kind, int I2cBus, int GridAddress, int? PvAddress, long ShuntMicroohms, long CurrentLsbMicroamps,
        string? SerialPort, int BaudRate, int GridSlaveId, int? PvSlaveId);

    /// <param name="TimeZone">"Today" starts at its local midnight and intervals show in its local time (a POSIX TZ rule).</param>
    public sealed record LcdSettings(bool Enabled, int I2cBus, int Address, int Columns, int Rows, PosixTimeZone TimeZone, string Currency, int CurrencyDecimals);

    /// <summary>The household's own broker for Home Assistant (docs/meter-linux.md "Home Assistant"); absent = off.</summary>
    public sealed record HomeAssistantSettings(BrokerSettings Broker, string? Username, string? Password, string DiscoveryPrefix);

    /// <summary>The checked contents of a meter config file (format in docs/meter-linux.md); relative paths are resolved against the file's folder.</summary>
    public sealed record MeterSettings(
        string MeterId, string ChainId, string KeyFile, byte[][] GatewayPublicKeys, int IntervalSeconds, string DataDirectory,
        int ResendSeconds, BrokerSettings Broker, SensorSettings Sensor, LcdSettings Lcd, HomeAssistantSettings? HomeAssistant = null,
        LightClientSettings? LightClient = null, byte[][]? InstallerPublicKeys = null)
    {
        public const int DefaultIntervalSeconds = 900;

        /// <exception cref="ConfigException">missing file, invalid JSON, unknown field, or a value out of range.</exception>
        public static MeterSettings Load(string path)
        {
            if (!File.Exists(path)) throw new ConfigException($"config file {path} does not exist");
            MeterConfigJson? json;
            try
            {
                json = JsonSerializer.Deserialize(File.ReadAllText(path), MeterConfigJsonContext.Default.MeterConfigJson);
            }
            catch (JsonException e)
            {
                throw new ConfigException($"{path}: {e.Message}");
            }
            if (json is null) throw new ConfigException($"{path}: the file holds no JSON object");
            string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            return FromJson(json, folder, path);
        }

        private static MeterSettings FromJson(MeterConfigJson json, string folder, string path)
        {
            string meterId = Id(json.MeterId, "meterId", path);
            string chainId = Id(json.ChainId, "chainId", path);
            string keyFile = Path.GetFullPath(Required(json.KeyFile, "keyFile", path), folder);
            byte[][] gatewayKeys = GatewayKeys(json.GatewayPublicKeys, path);
            int interval = json.IntervalSeconds ?? DefaultIntervalSeconds;
            if (!IntervalClock.IsValidLength(interval))
            {
                throw new ConfigException($"{path}: \"intervalSeconds\" must be 60..86400 and divide 86400 (e.g. 900), got {interval}");
            }
            string dataDirectory = Path.GetFullPath(Required(json.DataDirectory, "dataDirectory", path), folder);
            int resend = json.ResendSeconds ?? 30;
            if (resend < 1 || resend > 3600) throw new ConfigException($"{path}: \"resendSeconds\" must be 1..3600, got {resend}");
            return new MeterSettings(meterId, chainId, keyFile, gatewayKeys, interval, dataDirectory, resend,
                ParseBroker(json.Broker, folder, path), ParseSensor(json.Sensor, path), ParseLcd(json.Lcd, path),
                ParseHomeAssistant(json.HomeAssistant, folder, path), LightClientSettings.Parse(json.LightClient, path),
                json.InstallerPublicKeys is null ? null : PublicKeys(json.InstallerPublicKeys, "installer", path));
        }

        private static HomeAssistantSettings? ParseHomeAssistant(HomeAssistantJson? json, string folder, string path)
        {
            if (json is null) return null;
            BrokerSettings broker = ParseBroker(new BrokerJson { Url = json.Url, CaFile = json.CaFile }, folder, path, "homeAssistant");
            if ((json.Username is null) != (json.Password is null))
            {
                throw new ConfigException($"{path}: \"homeAssistant.username\" and \"homeAssistant.password\" go together: give both or neither");
            }
            string prefix = json.DiscoveryPrefix ?? "homeassistant";
            if (prefix.Length == 0 || prefix.Contains('#') || prefix.Contains('+') || prefix.StartsWith('/') || prefix.EndsWith('/'))
            {
                throw new ConfigException($"{path}: \"homeAssistant.discoveryPrefix\" must be a topic level such as homeassistant (no #, +, leading or trailing /), got \"{prefix}\"");
            }
            return new HomeAssistantSettings(broker, json.Username, json.Password, prefix);
        }

        private static BrokerSettings ParseBroker(BrokerJson? json, string folder, string path, string section = "broker")
        {
            string text = Required(json?.Url, section + ".url", path);
            Uri url = BrokerUrl(text, section + ".url", path);
            bool tls = url.Scheme == "mqtts";
            int port = PortOf(url);
            var fallbacks = new List<BrokerEndpoint>();
            foreach (string other in json!.FallbackUrls ?? [])
            {
                Uri fallback = BrokerUrl(other, "broker.fallbackUrls", path);
                if (fallback.Scheme != url.Scheme)
                {
                    throw new ConfigException($"{path}: \"broker.fallbackUrls\" must use the same scheme as \"broker.url\" ({url.Scheme}://), got \"{other}\"");
                }
                fallbacks.Add(new BrokerEndpoint(fallback.Host, PortOf(fallback)));
            }
            string? caFile = json!.CaFile is null ? null : Path.GetFullPath(json.CaFile, folder);
            if (caFile is not null && !tls) throw new ConfigException($"{path}: \"{section}.caFile\" needs an mqtts:// url");
            int reconnectMax = json.ReconnectMaxSeconds ?? 30;
            if (reconnectMax < 1 || reconnectMax > 600) throw new ConfigException($"{path}: \"{section}.reconnectMaxSeconds\" must be 1..600, got {reconnectMax}");
            return new BrokerSettings(url, tls, url.Host, port, caFile, reconnectMax, fallbacks.Count == 0 ? null : fallbacks.ToArray());
        }

        private static Uri BrokerUrl(string text, string field, string path)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url) || (url.Scheme != "mqtt" && url.Scheme != "mqtts") || url.Host.Length == 0)
            {
                throw new ConfigException($"{path}: \"{field}\" must look like mqtt://host:1883 or mqtts://host:8883, got \"{text}\"");
            }
            return url;
        }

        private static int PortOf(Uri url) => url.IsDefaultPort || url.Port < 0 ? (url.Scheme == "mqtts" ? 8883 : 1883) : url.Port;

        private static SensorSettings ParseSensor(SensorJson? json, string path)
        {
            json ??= new SensorJson { Type = "simulated" };
            SensorKind kind = (json.Type ?? "") switch
            {
                "simulated" => SensorKind.Simulated,
                "ina219" => SensorKind.Ina219,
                "ina226" => SensorKind.Ina226,
                "sdm120" => SensorKind.Sdm120,
                "sdm630" => SensorKind.Sdm630,
                _ => throw new ConfigException($"{path}: \"sensor.type\" must be one of simulated, ina219, ina226, sdm120, sdm630; got \"{json.Type}\""),
            };
            bool serial = kind is SensorKind.Sdm120 or SensorKind.Sdm630;
            if (serial && string.IsNullOrEmpty(json.SerialPort)) throw new ConfigException($"{path}: \"sensor.serialPort\" (e.g. /dev/ttyUSB0) is required for {json.Type}");
            int gridAddress = json.GridAddress ?? 0x40;
            CheckRange(gridAddress, 0x03, 0x77, "sensor.gridAddress", path);
            if (json.PvAddress is int pv) CheckRange(pv, 0x03, 0x77, "sensor.pvAddress", path);
            int gridSlave = json.GridSlaveId ?? 1;
            CheckRange(gridSlave, 1, 247, "sensor.gridSlaveId", path);
            if (json.PvSlaveId is int pvSlave) CheckRange(pvSlave, 1, 247, "sensor.pvSlaveId", path);
            return new SensorSettings(kind, json.I2cBus ?? 1, gridAddress, json.PvAddress, json.ShuntMicroohms ?? 100_000, json.CurrentLsbMicroamps ?? 100,
                json.SerialPort, json.BaudRate ?? 9600, gridSlave, json.PvSlaveId);
        }

        private static LcdSettings ParseLcd(LcdJson? json, string path)
        {
            if (json is null || json.Enabled != true) return new LcdSettings(false, 1, 0x27, 16, 2, PosixTimeZone.Utc, "EUR", 2);
            int address = json.Address ?? 0x27;
            CheckRange(address, 0x03, 0x77, "lcd.address", path);
            (int columns, int rows) = (json.Size ?? "16x2") switch
            {
                "16x2" => (16, 2),
                "20x4" => (20, 4),
                _ => throw new ConfigException($"{path}: \"lcd.size\" must be \"16x2\" or \"20x4\", got \"{json.Size}\""),
            };
            PosixTimeZone zone;
            try
            {
                zone = json.TimeZone is null ? PosixTimeZone.Utc : PosixTimeZone.Parse(json.TimeZone);
            }
            catch (FormatException e)
            {
                throw new ConfigException($"{path}: \"lcd.timeZone\": {e.Message}");
            }
            string currency = json.Currency ?? "EUR";
            if (currency.Length != 3 || !currency.All(c => c is >= 'A' and <= 'Z'))
            {
                throw new ConfigException($"{path}: \"lcd.currency\" must be three capital letters (e.g. EUR), got \"{currency}\"");
            }
            int decimals = json.CurrencyDecimals ?? 2;
            CheckRange(decimals, 0, 4, "lcd.currencyDecimals", path);
            return new LcdSettings(true, json.I2cBus ?? 1, address, columns, rows, zone, currency, decimals);
        }

        private static byte[][] GatewayKeys(string[]? hexKeys, string path)
        {
            if (hexKeys is null || hexKeys.Length == 0)
            {
                throw new ConfigException($"{path}: \"gatewayPublicKeys\" must list at least one gateway/validator public key (64 hex digits); acks are checked against them");
            }
            return PublicKeys(hexKeys, "gateway", path);
        }

        /// <summary>Public keys as 64 hex digits each; <paramref name="role"/> names them in errors.</summary>
        private static byte[][] PublicKeys(string[] hexKeys, string role, string path)
        {
            var keys = new List<byte[]>();
            foreach (string hex in hexKeys)
            {
                byte[] key;
                try
                {
                    key = Convert.FromHexString(hex);
                }
                catch (FormatException)
                {
                    throw new ConfigException($"{path}: {role} public key \"{hex}\" is not hex");
                }
                if (key.Length != 32) throw new ConfigException($"{path}: {role} public key \"{hex}\" must be 32 bytes (64 hex digits)");
                keys.Add(key);
            }
            return keys.ToArray();
        }

        private static string Id(string? value, string field, string path)
        {
            string id = Required(value, field, path);
            string? problem = MqttTopics.FindTopicProblem(id);
            if (problem != null) throw new ConfigException($"{path}: \"{field}\" \"{id}\": {problem}");
            return id;
        }

        private static string Required(string? value, string field, string path)
        {
            if (string.IsNullOrEmpty(value)) throw new ConfigException($"{path}: \"{field}\" is required");
            return value;
        }

        private static void CheckRange(int value, int min, int max, string field, string path)
        {
            if (value < min || value > max) throw new ConfigException($"{path}: \"{field}\" must be {min}..{max}, got {value}");
        }
    }
}
