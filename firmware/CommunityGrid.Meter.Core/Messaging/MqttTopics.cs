using System;

namespace CommunityGrid.Meter.Messaging
{
    /// <summary>
    /// The MQTT topics of one meter (docs/protocol.md, "MQTT topics"): readings go up, acknowledgements, display
    /// data and a move instruction come down, all under <c>cg/{chainId}/meters/{meterId}/</c>.
    /// </summary>
    public static class MqttTopics
    {
        public const string Root = "cg";

        public static string Readings(string chainId, string meterId)
        {
            return MeterPrefix(chainId, meterId) + "readings";
        }

        public static string Acks(string chainId, string meterId)
        {
            return MeterPrefix(chainId, meterId) + "acks";
        }

        public static string Display(string chainId, string meterId)
        {
            return MeterPrefix(chainId, meterId) + "display";
        }

        /// <summary>The light-client proofs of this meter (docs/protocol.md §7.6), retained.</summary>
        public static string Proofs(string chainId, string meterId)
        {
            return MeterPrefix(chainId, meterId) + "proofs";
        }

        /// <summary>Where a signed move instruction for the meter waits, retained (docs/protocol.md §7.5).</summary>
        public static string Move(string chainId, string meterId)
        {
            return MeterPrefix(chainId, meterId) + "move";
        }

        /// <summary>The reason an id cannot be a topic level ('/', '+', '#' or NUL in it), or null when it can.</summary>
        public static string? FindTopicProblem(string id)
        {
            ArgumentNullException.ThrowIfNull(id);
            if (id.Length == 0) return "an id must not be empty";
            char[] chars = id.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                // '/' would split the level, '+' and '#' are wildcards in subscriptions, NUL is forbidden by MQTT.
                if (c == '/' || c == '+' || c == '#' || c == '\0')
                {
                    return "character '" + (c == '\0' ? "NUL" : c.ToString()) + "' at index " + i + " cannot appear in an MQTT topic level";
                }
            }
            return null;
        }

        private static string MeterPrefix(string chainId, string meterId)
        {
            Check(chainId, nameof(chainId));
            Check(meterId, nameof(meterId));
            return Root + "/" + chainId + "/meters/" + meterId + "/";
        }

        private static void Check(string id, string name)
        {
            string? problem = FindTopicProblem(id);
            if (problem != null) throw new ArgumentException(name + " \"" + id + "\": " + problem, name);
        }
    }
}
