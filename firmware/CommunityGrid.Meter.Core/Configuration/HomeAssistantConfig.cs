using CommunityGrid.Meter.HomeAssistant;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// The household's own MQTT broker for Home Assistant (issue 16): optional and off unless homeassistant.host is set.
    /// A plain connection on the home network (port 1883 by default); nothing from the community's broker goes there.
    /// </summary>
    public sealed class HomeAssistantConfig
    {
        public static readonly string[] Keys = { "homeassistant.host", "homeassistant.port", "homeassistant.username", "homeassistant.password", "homeassistant.prefix" };

        private HomeAssistantConfig(string host, int port, string username, string password, string prefix)
        {
            Host = host;
            Port = port;
            Username = username;
            Password = password;
            Prefix = prefix;
        }

        /// <summary>Off: the meter talks to the community's broker only.</summary>
        public static readonly HomeAssistantConfig Off = new HomeAssistantConfig("", 0, "", "", HomeAssistantDiscovery.DefaultPrefix);

        public bool Enabled => Host.Length != 0;

        public string Host { get; }

        public int Port { get; }

        /// <summary>Empty: the broker takes anonymous clients.</summary>
        public string Username { get; }

        public string Password { get; }

        /// <summary>Home Assistant's discovery prefix (its MQTT integration's setting; "homeassistant" unless changed there).</summary>
        public string Prefix { get; }

        internal static HomeAssistantConfig Read(ConfigFile file)
        {
            string host = file.Text("homeassistant.host", "").Trim();
            if (host.Length == 0)
            {
                for (int i = 1; i < Keys.Length; i++)
                {
                    if (file.IsSet(Keys[i])) throw file.Error(Keys[i], "is set but homeassistant.host is not; write the household broker's host name, or remove the line");
                }
                return Off;
            }
            if (host.IndexOf(' ') >= 0 || host.IndexOf('/') >= 0 || (host.IndexOf(':') >= 0 && host.IndexOf(':') == host.LastIndexOf(':')))
            {
                throw file.Error("homeassistant.host", "'" + host + "' is not a host name; write only the name or IP address of the household's broker, e.g. 192.168.1.10 (no mqtt://, no port)");
            }
            int port = (int)file.Number("homeassistant.port", 1883, 1, 65535, "a TCP port is 1..65535 (Mosquitto's default: 1883)");
            string username = file.Text("homeassistant.username", "");
            string password = file.Text("homeassistant.password", "");
            if (password.Length != 0 && username.Length == 0)
            {
                throw file.Error("homeassistant.password", "is set without homeassistant.username; write the broker user's name too, or remove the password");
            }
            string prefix = file.Text("homeassistant.prefix", HomeAssistantDiscovery.DefaultPrefix);
            bool prefixOk = prefix.IndexOf('#') < 0 && prefix.IndexOf('+') < 0 && prefix.IndexOf(' ') < 0
                && prefix.Length != 0 && prefix.IndexOf('/') != 0 && prefix.LastIndexOf('/') != prefix.Length - 1;
            if (!prefixOk)
            {
                throw file.Error("homeassistant.prefix", "'" + prefix + "' is not a topic prefix; write Home Assistant's discovery prefix (default homeassistant), without '#', '+', spaces or a '/' at either end");
            }
            return new HomeAssistantConfig(host, port, username, password, prefix);
        }
    }
}
