using System;
using System.IO;
using System.Text.Json;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Meter.Linux.Tests.Meter;

/// <summary>
/// A meter's files in a temp directory: its key (written by the gateway's KeyFile, as `cgrid keys new` does), the
/// gateway key that signs acks, the JSON config and the data directory. Restarts of the meter reuse the same home.
/// </summary>
public sealed class VirtualMeterHome : IDisposable
{
    public const string ChainId = "communitygrid-test";

    /// <param name="homeAssistantUrl">The household broker for Home Assistant discovery; null leaves it off (the default).</param>
    /// <param name="installerPublicKeys">Installer keys (hex) whose move instructions the meter takes; null: none.</param>
    public VirtualMeterHome(string meterId, string brokerUrl, int intervalSeconds = 60, int resendSeconds = 2, int reconnectMaxSeconds = 1, string? caFile = null,
        string? homeAssistantUrl = null, string[]? installerPublicKeys = null)
    {
        MeterId = meterId;
        Directory = System.IO.Directory.CreateTempSubdirectory("cg-meter-").FullName;
        KeyPath = Path.Combine(Directory, "meter.key");
        var key = KeyFile.Generate();
        key.WriteNew(KeyPath);
        MeterSeed = key.Seed;
        MeterPublicKey = key.PublicKey;
        Gateway = Ed25519Signer.Generate();
        DataDirectory = Path.Combine(Directory, "data");
        ConfigPath = Path.Combine(Directory, "meter.json");
        var config = new
        {
            meterId,
            chainId = ChainId,
            keyFile = "meter.key",
            gatewayPublicKeys = new[] { Convert.ToHexStringLower(Gateway.PublicKey) },
            installerPublicKeys,
            intervalSeconds,
            dataDirectory = "data",
            resendSeconds,
            broker = new { url = brokerUrl, caFile, reconnectMaxSeconds },
            sensor = new { type = "simulated" },
            lcd = new { enabled = false },
            homeAssistant = homeAssistantUrl is null ? null : new { url = homeAssistantUrl },
        };
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(config, new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        }));
    }

    public string MeterId { get; }

    public string Directory { get; }

    public string KeyPath { get; }

    public string ConfigPath { get; }

    public string DataDirectory { get; }

    public byte[] MeterSeed { get; }

    public byte[] MeterPublicKey { get; }

    /// <summary>The gateway's signing key; its public half is in the meter's config.</summary>
    public Ed25519Signer Gateway { get; }

    /// <summary>Starts cgrid-meter on this home's config, simulated, at <paramref name="timeScale"/>, virtual time from <paramref name="start"/>.</summary>
    public MeterProcess Start(int timeScale, DateTimeOffset start)
    {
        return new MeterProcess(ConfigPath, "--simulate", "--time-scale", timeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--start", start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        Gateway.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
