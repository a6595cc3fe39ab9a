using System;
using System.Collections;
using CommunityGrid.Meter.Esp32.Adapters;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Protocol.Bytes;

namespace CommunityGrid.Meter.Esp32.Setup
{
    /// <summary>One measuring point: the grid connection or the PV output (hardware/installer-guide.md, "The configuration file").</summary>
    internal sealed class ChannelConfig
    {
        public string Source = "none";   // none | ina219 | ina226 | sdm120 | sdm630
        public int Address;              // I2C address (INA) or Modbus slave id (SDM)
        public long ShuntMicroohms;      // INA only
        public long CurrentLsbMicroamps; // INA only
        public bool UseExportRegister;   // SDM on the PV output: the inverter's energy is counted as the meter's export

        public bool IsIna => Source == "ina219" || Source == "ina226";

        public bool IsSdm => Source == "sdm120" || Source == "sdm630";
    }

    /// <summary>
    /// The installer's configuration file <c>I:\cgrid-meter.conf</c>: UTF-8 text, one <c>key = value</c> per line,
    /// <c>#</c> starts a comment. Unknown keys are refused (a typo must not silently fall back to a default).
    /// </summary>
    internal sealed class MeterConfig
    {
        public const string FileName = "cgrid-meter.conf";

        private static readonly string[] Known =
        {
            "wifi.ssid", "wifi.password", "mqtt.host", "mqtt.port", "mqtt.tls", "mqtt.ca", "chain.id", "meter.id",
            "interval.seconds", "gateway.keys", "grid.source", "grid.address", "grid.shunt.microohms",
            "grid.current.lsb.microamps", "pv.source", "pv.address", "pv.shunt.microohms", "pv.current.lsb.microamps",
            "pv.register", "modbus.baud", "modbus.parity", "modbus.stopbits", "lcd.address", "lcd.columns",
            "lcd.rows", "currency.code", "currency.decimals",
        };

        private readonly ArrayList _pairs = new ArrayList();

        public string WifiSsid = "", WifiPassword = "", MqttHost = "", ChainId = "", MeterId = "";
        public string MqttCaFile = "", ModbusParity = "none", CurrencyCode = "EUR";
        public int MqttPort, IntervalSeconds, ModbusBaud, ModbusStopBits, LcdAddress, LcdColumns, LcdRows, CurrencyDecimals;
        public bool MqttTls;
        public byte[][] GatewayKeys = new byte[0][];
        public ChannelConfig Grid = new ChannelConfig(), Pv = new ChannelConfig();

        /// <exception cref="FormatException">the file is missing a required key or has a bad line; the message names it.</exception>
        public static MeterConfig Load(IFileStore store)
        {
            if (!store.Exists(FileName)) throw new FormatException(FlashFileStore.PathOf(FileName) + " is missing: write it with nanoff --filedeployment");
            byte[] bytes = store.ReadAll(FileName);
            var config = new MeterConfig();
            config.Parse(Utf8.Decode(bytes, 0, bytes.Length));
            return config;
        }

        private void Parse(string text)
        {
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                int eq = line.IndexOf('=');
                if (eq <= 0) throw new FormatException("line " + (i + 1) + ": expected key = value");
                string key = line.Substring(0, eq).Trim().ToLower();
                if (!IsKnown(key)) throw new FormatException("line " + (i + 1) + ": unknown key '" + key + "'");
                _pairs.Add(new string[] { key, line.Substring(eq + 1).Trim() });
            }
            WifiSsid = Required("wifi.ssid");
            WifiPassword = Optional("wifi.password", "");
            MqttHost = Required("mqtt.host");
            MqttTls = Optional("mqtt.tls", "true") == "true";
            MqttPort = Number("mqtt.port", MqttTls ? 8883 : 1883);
            MqttCaFile = Optional("mqtt.ca", "");
            ChainId = Required("chain.id");
            MeterId = Required("meter.id");
            IntervalSeconds = Number("interval.seconds", 900);
            string[] keys = Required("gateway.keys").Split(',');
            GatewayKeys = new byte[keys.Length][];
            for (int i = 0; i < keys.Length; i++) GatewayKeys[i] = Hex.Decode(keys[i].Trim());
            Grid = Channel("grid", "sdm630");
            Pv = Channel("pv", "none");
            ModbusBaud = Number("modbus.baud", 9600);
            ModbusParity = Optional("modbus.parity", "none");
            ModbusStopBits = Number("modbus.stopbits", 1);
            LcdAddress = Number("lcd.address", 0x27);
            LcdColumns = Number("lcd.columns", 16);
            LcdRows = Number("lcd.rows", 2);
            CurrencyCode = Optional("currency.code", "EUR");
            CurrencyDecimals = Number("currency.decimals", 2);
        }

        private ChannelConfig Channel(string prefix, string defaultSource)
        {
            var channel = new ChannelConfig();
            channel.Source = Optional(prefix + ".source", defaultSource);
            if (channel.Source != "none" && !channel.IsIna && !channel.IsSdm)
            {
                throw new FormatException(prefix + ".source must be none, ina219, ina226, sdm120 or sdm630, got '" + channel.Source + "'");
            }
            channel.Address = Number(prefix + ".address", channel.IsIna ? 0x40 : 1);
            channel.ShuntMicroohms = Number(prefix + ".shunt.microohms", 100_000);
            channel.CurrentLsbMicroamps = Number(prefix + ".current.lsb.microamps", 100);
            channel.UseExportRegister = Optional(prefix + ".register", "import") == "export";
            return channel;
        }

        private static bool IsKnown(string key)
        {
            for (int i = 0; i < Known.Length; i++)
            {
                if (Known[i] == key) return true;
            }
            return false;
        }

        private string Optional(string key, string fallback)
        {
            for (int i = _pairs.Count - 1; i >= 0; i--)
            {
                string[] pair = (string[])_pairs[i]!;
                if (pair[0] == key) return pair[1];
            }
            return fallback;
        }

        private string Required(string key)
        {
            string value = Optional(key, "");
            if (value.Length == 0) throw new FormatException("required key '" + key + "' is missing or empty");
            return value;
        }

        /// <summary>Decimal, or hexadecimal with a 0x prefix (I2C addresses).</summary>
        private int Number(string key, int fallback)
        {
            string value = Optional(key, "");
            if (value.Length == 0) return fallback;
            try
            {
                if (value.Length > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X'))
                {
                    return (int)Convert.ToUInt32(value.Substring(2), 16);
                }
                return int.Parse(value);
            }
            catch (Exception)
            {
                throw new FormatException("key '" + key + "': '" + value + "' is not a number");
            }
        }
    }
}
