using System;
using System.Globalization;
using System.Text;

namespace CommunityGrid.Meter.Linux.Logging
{
    /// <summary>
    /// Structured log lines on stdout, one event per line in logfmt (<c>ts=… level=info event=reading.queued seq=5</c>):
    /// readable by people, greppable, and parsed by the tests, which watch the meter through them.
    /// </summary>
    public static class Log
    {
        private static readonly object Gate = new();

        public static void Info(string eventName, params (string Key, object? Value)[] fields) => Write("info", eventName, fields);

        public static void Warn(string eventName, params (string Key, object? Value)[] fields) => Write("warn", eventName, fields);

        public static void Error(string eventName, params (string Key, object? Value)[] fields) => Write("error", eventName, fields);

        public static string Format(DateTimeOffset time, string level, string eventName, (string Key, object? Value)[] fields)
        {
            var line = new StringBuilder(128);
            line.Append("ts=").Append(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            line.Append(" level=").Append(level).Append(" event=").Append(eventName);
            foreach ((string key, object? value) in fields)
            {
                line.Append(' ').Append(key).Append('=').Append(Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
            }
            return line.ToString();
        }

        private static void Write(string level, string eventName, (string Key, object? Value)[] fields)
        {
            string line = Format(DateTimeOffset.UtcNow, level, eventName, fields);
            lock (Gate) Console.Out.WriteLine(line);
        }

        private static string Quote(string value)
        {
            bool plain = value.Length > 0;
            foreach (char c in value)
            {
                if (c <= ' ' || c == '"' || c == '=' || c == '\\') plain = false;
            }
            if (plain) return value;
            var quoted = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                if (c == '"' || c == '\\') quoted.Append('\\').Append(c);
                else if (c == '\n') quoted.Append("\\n");
                else if (c < ' ') quoted.Append(' ');
                else quoted.Append(c);
            }
            return quoted.Append('"').ToString();
        }
    }
}
