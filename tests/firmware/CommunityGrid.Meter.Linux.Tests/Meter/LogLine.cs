using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CommunityGrid.Meter.Linux.Tests.Meter;

/// <summary>One logfmt line of cgrid-meter's stdout, with the moment the test read it.</summary>
public sealed class LogLine
{
    private readonly Dictionary<string, string> _fields;

    private LogLine(string text, DateTime seenAt, Dictionary<string, string> fields)
    {
        Text = text;
        SeenAt = seenAt;
        _fields = fields;
    }

    public string Text { get; }

    public DateTime SeenAt { get; }

    public string Event => Get("event") ?? "";

    public string? Get(string key) => _fields.TryGetValue(key, out string? value) ? value : null;

    public long Long(string key) => long.Parse(Get(key) ?? throw new KeyNotFoundException($"no {key} in: {Text}"), CultureInfo.InvariantCulture);

    public static LogLine Parse(string text, DateTime seenAt)
    {
        var fields = new Dictionary<string, string>();
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ') i++;
            int equals = text.IndexOf('=', i);
            if (equals < 0) break;
            string key = text[i..equals];
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i]);
                }
                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ' '; i++) value.Append(text[i]);
            }
            fields[key] = value.ToString();
        }
        return new LogLine(text, seenAt, fields);
    }
}
