using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Formats.Keys;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// The workspace of an end-to-end test that lives through wall-clock minutes: a temporary directory, a key file per
/// named party (gateways, installer, treasurer, houses, meters), the genesis of a one-gateway street on one-minute
/// intervals, and polling of a gateway's HTTP API with its log in the failure message.
/// </summary>
public sealed class WallClockStreet : IDisposable
{
    public const int IntervalSeconds = 60;

    public WallClockStreet(string prefix, params string[] parties)
    {
        Directory = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        foreach (string name in parties)
        {
            Keys[name] = KeyFile.Generate();
            KeyPaths[name] = Path.Combine(Directory, name + ".key");
            Keys[name].WriteNew(KeyPaths[name]);
        }
    }

    public string Directory { get; }
    public Dictionary<string, KeyFile> Keys { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> KeyPaths { get; } = new(StringComparer.Ordinal);

    /// <summary>A data directory below the workspace, created.</summary>
    public string DataDirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    /// <summary>
    /// A street whose genesis is a second old: the houses' member keys, the "installer" and "treasurer" parties, the
    /// "gateway" party as its one validator, EUR at 3.00 / 0.80 per kWh; the caller sets what its story needs.
    /// </summary>
    public GenesisDocument Genesis(string chainId, string name, int graceSeconds, params string[] houses) => new()
    {
        ChainId = chainId,
        Name = name,
        Currency = "EUR",
        MinorUnitDigits = 2,
        IntervalSeconds = IntervalSeconds,
        GraceSeconds = graceSeconds,
        RetailPrice = 300,
        FeedInPrice = 80,
        Members = houses.Select(h => new GenesisMember(h, Keys[h].PublicKeyHex)).ToList(),
        InstallerKeys = [Keys["installer"].PublicKeyHex],
        TreasurerKeys = [Keys["treasurer"].PublicKeyHex],
        Validators = [new GenesisValidator(Keys["gateway"].PublicKeyHex, "127.0.0.1:7001")],
        GenesisTimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000,
    };

    /// <summary>GETs <paramref name="path"/> every half second until <paramref name="done"/> holds; fails with the gateway's log after <paramref name="timeout"/>.</summary>
    public static async Task<T> PollAsync<T>(HttpClient http, string path, JsonTypeInfo<T> type, Func<T, bool> done, TimeSpan timeout, GatewayProcess gateway)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (true)
        {
            using HttpResponseMessage response = await http.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                T value = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), type)!;
                if (done(value)) return value;
            }
            if (DateTime.UtcNow > until) Assert.Fail($"timed out after {timeout.TotalSeconds} s polling {path}; gateway log:\n{gateway.Log}");
            await Task.Delay(500);
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process just stopped may hold a file for a moment; the OS cleans temp later.
        }
    }
}
