using System;

namespace CommunityGrid.Meter.HomeAssistant
{
    /// <summary>
    /// A JSON object written as text, compact (no spaces), keys in the order written: enough for discovery configs,
    /// without System.Text.Json, which the device does not have. Strings are escaped as RFC 8259 §7 requires.
    /// </summary>
    internal sealed class JsonText
    {
        private string _text = "";
        private bool _first = true;

        public void StartObject(string? name)
        {
            Key(name);
            _text += "{";
            _first = true;
        }

        public void EndObject()
        {
            _text += "}";
            _first = false;
        }

        public void StartArray(string name)
        {
            Key(name);
            _text += "[";
            _first = true;
        }

        public void EndArray()
        {
            _text += "]";
            _first = false;
        }

        public void String(string? name, string value)
        {
            Key(name);
            _text += Quote(value);
            _first = false;
        }

        public void Number(string name, long value)
        {
            Key(name);
            _text += HomeAssistantDiscovery.Decimal(value, 0);
            _first = false;
        }

        public override string ToString() => _text;

        private void Key(string? name)
        {
            if (!_first) _text += ",";
            if (name != null) _text += Quote(name) + ":";
        }

        /// <summary>'"', '\' and the control characters escaped; everything else as is (UTF-8 on the wire).</summary>
        public static string Quote(string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            char[] chars = value.ToCharArray();
            string quoted = "\"";
            int plainFrom = 0;
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                if (c != '"' && c != '\\' && c >= ' ') continue;
                quoted += value.Substring(plainFrom, i - plainFrom) + Escape(c);
                plainFrom = i + 1;
            }
            return quoted + value.Substring(plainFrom) + "\"";
        }

        private static string Escape(char c)
        {
            if (c == '"') return "\\\"";
            if (c == '\\') return "\\\\";
            const string hex = "0123456789abcdef";
            char[] digits = hex.ToCharArray();
            return "\\u00" + digits[c >> 4].ToString() + digits[c & 0xF].ToString();
        }
    }
}
