using System.Collections;

namespace CommunityGrid.Meter.Configuration
{
    /// <summary>
    /// A <c>key = value</c> text file (docs/meter.md, "Configuration file"): one setting per line, split at the first
    /// '='; blank lines and lines starting with '#' are ignored. '#' later in a line is part of the value, because
    /// Wi-Fi passwords may contain it. Keys are case-insensitive, must be known, and may appear once. An empty value
    /// means "use the default". Typed getters check values and name the line and key in every error.
    /// </summary>
    public sealed class ConfigFile
    {
        private const char ByteOrderMark = '\uFEFF';
        private readonly ArrayList _entries;

        private ConfigFile(ArrayList entries)
        {
            _entries = entries;
        }

        public int Count => _entries.Count;

        public ConfigEntry GetEntry(int index) => (ConfigEntry)_entries[index]!;

        /// <exception cref="ConfigException">a line is not <c>key = value</c>, a key is unknown or repeated.</exception>
        public static ConfigFile Parse(string text, string[] knownKeys)
        {
            // Windows editors may start a UTF-8 file with a byte order mark; it would otherwise glue onto the first key.
            if (text.Length > 0 && text.IndexOf(ByteOrderMark) == 0) text = text.Substring(1);
            var file = new ConfigFile(new ArrayList());
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0 || line.IndexOf('#') == 0) continue;
                file.Add(line, i + 1, knownKeys);
            }
            return file;
        }

        public ConfigEntry? Find(string key)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                if (GetEntry(i).Key == key) return GetEntry(i);
            }
            return null;
        }

        /// <summary>True when the key is present with a non-empty value.</summary>
        public bool IsSet(string key)
        {
            ConfigEntry? entry = Find(key);
            return entry != null && entry.Value.Length > 0;
        }

        public string Text(string key, string fallback) => IsSet(key) ? Find(key)!.Value : fallback;

        public string RequiredText(string key, string example)
        {
            ConfigEntry? entry = Find(key);
            if (entry == null) throw new ConfigException(0, key, key + ": missing; add a line '" + key + " = " + example + "'");
            if (entry.Value.Length == 0) throw Error(key, "empty; write a value after '=', e.g. '" + key + " = " + example + "'");
            return entry.Value;
        }

        /// <summary>A whole number, decimal or hexadecimal with 0x (I2C addresses), within min..max.</summary>
        /// <param name="rule">What is allowed and why, for the error message, e.g. "must be 1..65535".</param>
        public long Number(string key, long fallback, long min, long max, string rule)
        {
            if (!IsSet(key)) return fallback;
            string text = Find(key)!.Value;
            if (!WholeNumber.TryParse(text, out long value)) throw Error(key, "'" + text + "' is not a whole number; " + rule);
            if (value < min || value > max) throw Error(key, "'" + text + "' is out of range; " + rule);
            return value;
        }

        /// <returns>The index in <paramref name="choices"/> of the value (case-insensitive), or of the fallback when unset.</returns>
        public int Choice(string key, string[] choices, int fallbackIndex)
        {
            if (!IsSet(key)) return fallbackIndex;
            string value = Find(key)!.Value;
            string lower = value.ToLower();
            string list = "";
            for (int i = 0; i < choices.Length; i++)
            {
                if (choices[i] == lower) return i;
                list += (i == 0 ? "" : i == choices.Length - 1 ? " or " : ", ") + choices[i];
            }
            throw Error(key, "'" + value + "' is not allowed; write " + list);
        }

        public bool Flag(string key, bool fallback) => Choice(key, new string[] { "false", "true" }, fallback ? 1 : 0) == 1;

        /// <summary>An error about the key's line (or about the key alone when it is not in the file).</summary>
        public ConfigException Error(string key, string problem)
        {
            ConfigEntry? entry = Find(key);
            int line = entry == null ? 0 : entry.LineNumber;
            return new ConfigException(line, key, (line == 0 ? "" : "line " + line + ", ") + key + ": " + problem);
        }

        private void Add(string line, int lineNumber, string[] knownKeys)
        {
            int eq = line.IndexOf('=');
            if (eq < 0)
            {
                // The line itself is not quoted: it could be a password that lost its key.
                throw new ConfigException(lineNumber, "", "line " + lineNumber + ": no '='; write 'key = value', or start the line with '#' to make it a comment");
            }
            string key = line.Substring(0, eq).Trim().ToLower();
            if (key.Length == 0) throw new ConfigException(lineNumber, "", "line " + lineNumber + ": no key before '='; write 'key = value'");
            if (!Contains(knownKeys, key))
            {
                throw new ConfigException(lineNumber, key, "line " + lineNumber + ": unknown key '" + key
                    + "'; check its spelling against cgrid-meter.conf.example (an unknown key is refused, not ignored)");
            }
            ConfigEntry? earlier = Find(key);
            if (earlier != null)
            {
                throw new ConfigException(lineNumber, key, "line " + lineNumber + ": " + key + " is already set on line "
                    + earlier.LineNumber + "; keep one of the two lines");
            }
            _entries.Add(new ConfigEntry(key, line.Substring(eq + 1).Trim(), lineNumber));
        }

        private static bool Contains(string[] keys, string key)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] == key) return true;
            }
            return false;
        }
    }
}
