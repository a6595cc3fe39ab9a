using System;
using CommunityGrid.Meter.Configuration;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// A broker address as a move instruction names it (docs/protocol.md §7.5): <c>mqtt://host[:port]</c> or
    /// <c>mqtts://host[:port]</c> (TLS), default ports 1883 and 8883, host a name or an IPv4 address, nothing after the
    /// port. Parsed by hand: nanoFramework has no System.Uri, and both runtimes must read it alike.
    /// </summary>
    public sealed class BrokerUrl
    {
        public const int MaxLength = 200;

        private BrokerUrl(bool tls, string host, int port)
        {
            Tls = tls;
            Host = host;
            Port = port;
        }

        public bool Tls { get; }

        public string Host { get; }

        public int Port { get; }

        /// <exception cref="FormatException">not a broker URL of this form (the message says why).</exception>
        public static BrokerUrl Parse(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            string? problem = FindProblem(text);
            if (problem != null) throw new FormatException("broker URL \"" + text + "\": " + problem);
            bool tls = text.IndexOf("mqtts://") == 0;
            string rest = text.Substring(tls ? 8 : 7);
            int colon = rest.IndexOf(':');
            if (colon < 0) return new BrokerUrl(tls, rest, tls ? 8883 : 1883);
            long port;
            WholeNumber.TryParse(rest.Substring(colon + 1), out port);
            return new BrokerUrl(tls, rest.Substring(0, colon), (int)port);
        }

        /// <summary>Why <paramref name="text"/> is not a broker URL, or null when it is one.</summary>
        public static string? FindProblem(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            if (text.Length == 0 || text.Length > MaxLength) return "must be 1.." + MaxLength + " characters";
            string rest;
            if (text.IndexOf("mqtts://") == 0) rest = text.Substring(8);
            else if (text.IndexOf("mqtt://") == 0) rest = text.Substring(7);
            else return "must start with mqtt:// or mqtts://";
            int colon = rest.IndexOf(':');
            string host = colon < 0 ? rest : rest.Substring(0, colon);
            if (host.Length == 0) return "names no host";
            char[] chars = host.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!allowed) return "the host may hold only letters, digits, '.', '-' and '_' (no path, user or IPv6 literal)";
            }
            if (colon < 0) return null;
            long port;
            if (!WholeNumber.TryParse(rest.Substring(colon + 1), out port) || port < 1 || port > 65535) return "the port must be 1..65535";
            return null;
        }

        public override string ToString()
        {
            return (Tls ? "mqtts://" : "mqtt://") + Host + ":" + Port;
        }
    }
}
