using System;
using System.Collections.Generic;
using System.Linq;

namespace CommunityGrid.Meter.Tests.Configuration;

/// <summary>A small valid configuration, and variants of it with keys replaced, added or removed.</summary>
internal static class ConfigTexts
{
    public const string GatewayKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    public const string Password = "s3cret-wifi-pass";

    private static readonly string[] Minimal =
    {
        "wifi.ssid = HomeNet",
        "wifi.password = " + Password,
        "mqtt.host = gateway.local",
        "chain.id = cg-test",
        "meter.id = meter-7",
        "gateway.keys = " + GatewayKey,
    };

    /// <summary>The minimal file with changes: "key = value" replaces that key's line or is appended; "-key" removes it.</summary>
    public static string With(params string[] changes)
    {
        var lines = new List<string>(Minimal);
        foreach (string change in changes)
        {
            if (change.StartsWith('-'))
            {
                lines.RemoveAll(l => KeyOf(l) == change.Substring(1));
                continue;
            }
            int at = lines.FindIndex(l => KeyOf(l) == KeyOf(change));
            if (at >= 0) lines[at] = change;
            else lines.Add(change);
        }
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>1-based line of the key in the text, 0 when absent.</summary>
    public static int LineOf(string text, string key) =>
        text.Split('\n').Select((line, i) => (line, i)).Where(x => KeyOf(x.line) == key).Select(x => x.i + 1).DefaultIfEmpty(0).First();

    private static string KeyOf(string line)
    {
        int eq = line.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? line.Trim() : line.Substring(0, eq).Trim().ToLowerInvariant();
    }
}
