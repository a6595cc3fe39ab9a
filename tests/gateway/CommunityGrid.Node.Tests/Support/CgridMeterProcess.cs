using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using CommunityGrid.Formats.Keys;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>A real virtual meter: <c>dotnet cgrid-meter.dll --config … --simulate</c> from the test output directory, its log lines collected.</summary>
public sealed class CgridMeterProcess : IDisposable
{
    private readonly Process process;

    private CgridMeterProcess(string configPath, DateTimeOffset start, int timeScale)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "cgrid-meter.dll"), "--config", configPath, "--simulate", "--time-scale",
            timeScale.ToString(CultureInfo.InvariantCulture), "--start", start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(arg);
        }
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Lines.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    public string Log => string.Join('\n', Lines);

    /// <summary>Writes a home directory for <paramref name="meterId"/> (its key from the grid's seeds, config for the broker on <paramref name="port"/>) and starts the meter.</summary>
    public static CgridMeterProcess Start(TestGrid grid, string meterId, int port, DateTimeOffset start, int timeScale = 900) =>
        Start(grid.Directory, meterId, grid.MeterSeeds[meterId], TestGrid.ChainId, [grid.GatewayKeyFile.PublicKeyHex], [port], start, timeScale);

    /// <param name="brokerPorts">The loopback brokers the meter may use: the first is its street's gateway, the others fallbacks.</param>
    /// <param name="installerKeysHex">Installer keys whose move instructions the meter takes (docs/protocol.md §7.5); null: none.</param>
    /// <param name="validators">The genesis validators as KEY@address: the meter then runs as a light client (docs/protocol.md §7.6).</param>
    public static CgridMeterProcess Start(string directory, string meterId, byte[] seed, string chainId, string[] gatewayKeysHex, int[] brokerPorts,
        DateTimeOffset start, int timeScale = 900, int intervalSeconds = TestGrid.IntervalSeconds, string[]? installerKeysHex = null, string[]? validators = null)
    {
        string home = Path.Combine(directory, "meter-" + meterId);
        Directory.CreateDirectory(home);
        KeyFile.FromSeed(seed).WriteNew(Path.Combine(home, "meter.key"));
        var config = new
        {
            meterId,
            chainId,
            keyFile = "meter.key",
            gatewayPublicKeys = gatewayKeysHex,
            installerPublicKeys = installerKeysHex ?? [],
            intervalSeconds,
            dataDirectory = "data",
            resendSeconds = 2,
            broker = new
            {
                url = $"mqtt://127.0.0.1:{brokerPorts[0]}",
                fallbackUrls = brokerPorts.Skip(1).Select(p => $"mqtt://127.0.0.1:{p}").ToArray(),
                reconnectMaxSeconds = 1,
            },
            sensor = new { type = "simulated" },
            lcd = new { enabled = false },
            lightClient = validators is null ? null : new { validators },
        };
        string configPath = Path.Combine(home, "meter.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(config, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        return new CgridMeterProcess(configPath, start, timeScale);
    }

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// How far acks have released the meter's queue (the highest released_through of its ack.applied lines). Acks are
    /// cumulative (docs/protocol.md §7.3) and a gateway may answer several readings with one ack, so count this, not acks.
    /// </summary>
    public long AckedThrough => Lines.Where(l => Field(l, "event") == "ack.applied")
        .Select(l => long.Parse(Field(l, "released_through")!, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    /// <summary>A key=value field of one of the meter's log lines, or null.</summary>
    public static string? Field(string line, string key) =>
        line.Split(' ').FirstOrDefault(part => part.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];

    private bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        process.Dispose();
    }
}
