using System;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Meter.Time;
using CommunityGrid.Protocol.Bytes;
using CommunityGrid.Protocol.Readings;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// The installer's settings for a meter, from <c>cgrid-meter.conf</c> (format: <see cref="ConfigFile"/>; keys:
    /// docs/meter.md and the example file shipped with the ESP32 app). Every value is checked here, so a meter that
    /// starts with the file can run with it.
    /// </summary>
    public sealed class MeterConfig
    {
        public const string FileName = "cgrid-meter.conf";

        public static readonly string[] Keys =
        {
            "wifi.ssid", "wifi.password", "mqtt.host", "mqtt.fallback.hosts", "mqtt.port", "mqtt.tls", "mqtt.ca", "chain.id", "meter.id",
            "interval.seconds", "gateway.keys", "installer.keys", "grid.source", "grid.address", "grid.shunt.microohms",
            "grid.current.lsb.microamps", "pv.source", "pv.address", "pv.shunt.microohms", "pv.current.lsb.microamps",
            "pv.register", "modbus.baud", "modbus.parity", "modbus.stopbits", "lcd.address", "lcd.columns",
            "lcd.rows", "currency.code", "currency.decimals", "time.zone",
            "homeassistant.host", "homeassistant.port", "homeassistant.username", "homeassistant.password", "homeassistant.prefix",
            "lightclient.validators", "lightclient.stale.intervals", "lightclient.trust.intervals",
        };

        private static readonly string[] BaudRates = { "1200", "2400", "4800", "9600", "19200", "38400" };
        private static readonly int[] BaudValues = { 1200, 2400, 4800, 9600, 19200, 38400 };
        private static readonly string[] Parities = { "none", "even", "odd" };

        private MeterConfig(ConfigFile file)
        {
            WifiSsid = file.RequiredText("wifi.ssid", "HouseholdWiFi");
            WifiPassword = file.Text("wifi.password", "");
            MqttHost = file.RequiredText("mqtt.host", "gateway-street-a.local");
            MqttFallbackHosts = SplitHosts(file.Text("mqtt.fallback.hosts", ""));
            MqttTls = file.Flag("mqtt.tls", true);
            MqttPort = (int)file.Number("mqtt.port", MqttTls ? 8883 : 1883, 1, 65535, "a TCP port is 1..65535 (the gateway's broker: 8883 with TLS, 1883 without)");
            MqttCaFile = file.Text("mqtt.ca", "");
            ChainId = file.RequiredText("chain.id", "communitygrid-test");
            MeterId = file.RequiredText("meter.id", "meter-0001");
            IntervalSeconds = (int)file.Number("interval.seconds", 900, 60, 86_400, IntervalRule);
            GatewayKeys = HexKeys(file, "gateway.keys", file.RequiredText("gateway.keys", "<64 hex digits>"));
            InstallerKeys = file.IsSet("installer.keys") ? HexKeys(file, "installer.keys", file.Text("installer.keys", "")) : new byte[0][];
            Grid = ChannelConfig.Read(file, "grid", ChannelSource.Sdm630, false);
            Pv = ChannelConfig.Read(file, "pv", ChannelSource.None, true);
            ModbusBaud = BaudValues[file.Choice("modbus.baud", BaudRates, 3)];
            ModbusParity = Parities[file.Choice("modbus.parity", Parities, 0)];
            ModbusStopBits = file.Choice("modbus.stopbits", new string[] { "1", "2" }, 0) + 1;
            LcdAddress = (int)file.Number("lcd.address", 0x27, 0, 0x7F, LcdAddressRule);
            LcdColumns = file.Choice("lcd.columns", new string[] { "16", "20" }, 0) == 0 ? 16 : 20;
            LcdRows = file.Choice("lcd.rows", new string[] { "2", "4" }, 0) == 0 ? 2 : 4;
            CurrencyCode = file.Text("currency.code", "EUR");
            CurrencyDecimals = (int)file.Number("currency.decimals", 2, 0, 4, "0..4 digits after the decimal point (EUR: 2)");
            TimeZone = ReadTimeZone(file);
            HomeAssistant = HomeAssistantConfig.Read(file);
            LightClient = LightClientConfig.Read(file);
            CheckTogether(file);
        }

        private const string IntervalRule = "the chain's settlement interval: 60..86400 seconds dividing 86400 (900 = 15 minutes)";
        private const string LcdAddressRule = "a PCF8574 backpack: 0x27 (PCF8574T) or 0x3F (PCF8574AT), or any of 0x20..0x27 / 0x38..0x3F; 0 = no LCD";

        public string WifiSsid { get; }
        /// <summary>Empty for an open network.</summary>
        public string WifiPassword { get; }
        public string MqttHost { get; }

        /// <summary>The community's other gateways, tried in turn when the street's cannot be reached (same port, TLS and CA).</summary>
        public string[] MqttFallbackHosts { get; }

        /// <summary>The street's gateway first, then the fallbacks.</summary>
        public string[] MqttHosts
        {
            get
            {
                string[] all = new string[MqttFallbackHosts.Length + 1];
                all[0] = MqttHost;
                for (int i = 0; i < MqttFallbackHosts.Length; i++) all[i + 1] = MqttFallbackHosts[i];
                return all;
            }
        }
        public int MqttPort { get; }
        public bool MqttTls { get; }
        /// <summary>A PEM file on the same drive, or empty.</summary>
        public string MqttCaFile { get; }
        public string ChainId { get; }
        public string MeterId { get; }
        public int IntervalSeconds { get; }
        /// <summary>Ed25519 public keys (32 bytes each) of the gateways whose messages count.</summary>
        public byte[][] GatewayKeys { get; }

        /// <summary>Installer keys whose signed move instruction the meter also takes (docs/protocol.md §7.5); empty when none.</summary>
        public byte[][] InstallerKeys { get; }
        public ChannelConfig Grid { get; }
        public ChannelConfig Pv { get; }
        public int ModbusBaud { get; }
        /// <summary>none, even or odd.</summary>
        public string ModbusParity { get; }
        public int ModbusStopBits { get; }
        /// <summary>0 when there is no LCD.</summary>
        public int LcdAddress { get; }
        public int LcdColumns { get; }
        public int LcdRows { get; }
        public string CurrencyCode { get; }
        public int CurrencyDecimals { get; }

        /// <summary>The LCD's local time: "today" starts at local midnight, intervals show in local time. UTC by default.</summary>
        public PosixTimeZone TimeZone { get; }

        /// <summary>The household's own broker for Home Assistant, or <see cref="HomeAssistantConfig.Off"/>.</summary>
        public HomeAssistantConfig HomeAssistant { get; }

        /// <summary>The trusted validator set and windows when the meter is a light client, else <see cref="LightClientConfig.Off"/>.</summary>
        public LightClientConfig LightClient { get; }

        /// <exception cref="ConfigException">the file is missing, not UTF-8, or has a bad line or value.</exception>
        public static MeterConfig Load(IFileStore store)
        {
            if (!store.Exists(FileName))
            {
                throw new ConfigException(0, "", FileName + " is missing; write it to the meter (hardware/installer-guide.md, \"Write the configuration\")");
            }
            byte[] bytes = store.ReadAll(FileName);
            string text;
            try
            {
                text = Utf8.Decode(bytes, 0, bytes.Length);
            }
            catch (FormatException ex)
            {
                throw new ConfigException(0, "", FileName + " is not UTF-8 text (" + ex.Message + "); save it as UTF-8 and write it again");
            }
            return Parse(text);
        }

        /// <exception cref="ConfigException">a bad line, an unknown, repeated or missing key, or a value out of range.</exception>
        public static MeterConfig Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            return new MeterConfig(ConfigFile.Parse(text, Keys));
        }

        /// <summary>A comma-separated list of host names, spaces around each allowed; empty: none.</summary>
        private static string[] SplitHosts(string text)
        {
            if (text.Trim().Length == 0) return new string[0];
            string[] parts = text.Split(',');
            for (int i = 0; i < parts.Length; i++) parts[i] = parts[i].Trim();
            return parts;
        }

        private static void CheckHost(ConfigFile file, string key, string host)
        {
            if (host.Length == 0 || host.IndexOf(' ') >= 0 || host.IndexOf('/') >= 0 || host.Length > 253)
            {
                throw file.Error(key, "'" + host + "' is not a host name; write only the name or IP address, e.g. gateway-street-a.local (no mqtts://, no path)");
            }
            if (host.IndexOf(':') >= 0 && host.IndexOf(':') == host.LastIndexOf(':'))
            {
                throw file.Error(key, "'" + host + "' contains a port; write the port in mqtt.port (every gateway's broker listens on it)");
            }
        }

        private void CheckTogether(ConfigFile file)
        {
            if (Utf8.Encode(WifiSsid).Length > 32) throw file.Error("wifi.ssid", "longer than 32 bytes, the limit for a Wi-Fi network name; copy it exactly");
            // The length only: the password itself must never reach the LCD.
            if (WifiPassword.Length != 0 && (WifiPassword.Length < 8 || WifiPassword.Length > 64))
            {
                throw file.Error("wifi.password", "has " + WifiPassword.Length + " characters, WPA2/WPA3 needs 8..63 (or 64 hex digits); leave it empty only for an open network");
            }
            CheckHost(file, "mqtt.host", MqttHost);
            for (int i = 0; i < MqttFallbackHosts.Length; i++) CheckHost(file, "mqtt.fallback.hosts", MqttFallbackHosts[i]);
            if (MqttCaFile.Length != 0 && !MqttTls) throw file.Error("mqtt.ca", "is set but mqtt.tls = false; remove mqtt.ca or turn TLS on");
            if (MqttCaFile.IndexOf('/') >= 0 || MqttCaFile.IndexOf('\\') >= 0 || MqttCaFile.IndexOf(':') >= 0)
            {
                throw file.Error("mqtt.ca", "'" + MqttCaFile + "' is not a plain file name; write the name of the PEM file next to this one, e.g. gateway-ca.pem");
            }
            CheckId(file, "chain.id", ChainId, "the chain's id");
            CheckId(file, "meter.id", MeterId, "the id the meter is registered with");
            if (!IntervalClock.IsValidLength(IntervalSeconds)) throw file.Error("interval.seconds", "'" + IntervalSeconds + "' does not divide 86400; " + IntervalRule);
            if (Grid.Source == ChannelSource.None) throw file.Error("grid.source", "must not be none: the readings are about the grid connection; write ina219, ina226, sdm120 or sdm630");
            bool sameBus = (Grid.IsSdm && Pv.IsSdm) || (Grid.IsIna && Pv.IsIna);
            if (sameBus && Grid.Address == Pv.Address)
            {
                throw file.Error(Pv.AddressKey, "grid and pv both use address " + Pv.Address + " on the same bus; give each its own (e.g. grid 1, pv 2)");
            }
            bool lcdAddressOk = LcdAddress == 0 || (LcdAddress >= 0x20 && LcdAddress <= 0x27) || (LcdAddress >= 0x38 && LcdAddress <= 0x3F);
            if (!lcdAddressOk) throw file.Error("lcd.address", "'" + file.Text("lcd.address", "") + "' is not allowed; " + LcdAddressRule);
            if (!IsCurrencyCode(CurrencyCode)) throw file.Error("currency.code", "'" + CurrencyCode + "' is not a currency code; write its three capital letters, e.g. EUR");
        }

        private static void CheckId(ConfigFile file, string key, string id, string what)
        {
            string? problem = MqttTopics.FindTopicProblem(id);
            if (problem == null && Utf8.Encode(id).Length > MeterReadingRules.MaxIdBytes) problem = "longer than " + MeterReadingRules.MaxIdBytes + " bytes";
            if (problem != null) throw file.Error(key, problem + "; write " + what + " exactly as on the chain");
        }

        private static byte[][] HexKeys(ConfigFile file, string key, string list)
        {
            string[] parts = list.Split(',');
            byte[][] keys = new byte[parts.Length][];
            for (int i = 0; i < parts.Length; i++)
            {
                string hex = parts[i].Trim();
                string problem = "key " + (i + 1) + " of " + parts.Length + " is not 64 hex digits; copy each public key exactly, separated by commas";
                if (hex.Length != 64) throw file.Error(key, problem);
                try
                {
                    keys[i] = Hex.Decode(hex);
                }
                catch (FormatException)
                {
                    throw file.Error(key, problem);
                }
            }
            return keys;
        }

        private static PosixTimeZone ReadTimeZone(ConfigFile file)
        {
            if (!file.IsSet("time.zone")) return PosixTimeZone.Utc;
            try
            {
                return PosixTimeZone.Parse(file.Text("time.zone", ""));
            }
            catch (FormatException ex)
            {
                throw file.Error("time.zone", ex.Message);
            }
        }

        private static bool IsCurrencyCode(string code)
        {
            char[] letters = code.ToCharArray();
            if (letters.Length != 3) return false;
            for (int i = 0; i < 3; i++)
            {
                if (letters[i] < 'A' || letters[i] > 'Z') return false;
            }
            return true;
        }
    }
}
