using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Tests.Support;
using CommunityGrid.Peering.Transport;

namespace CommunityGrid.WebApp.Tests.Support;

/// <summary>
/// A community of several validator gateways for the browser: real `cgrid gateway run` processes (GatewayProcess,
/// shared with the node tests) on loopback, each with its HTTP API and web app, its peer port named in the genesis and
/// its own data directory. Members h1..hN hold keys the tests sign governance transactions with; the treasurer's
/// deposits make blocks on demand.
/// </summary>
public sealed class WebCluster : IAsyncDisposable
{
    public const string ChainId = "webapp-cluster";
    public const int IntervalSeconds = 900;
    private readonly GatewayProcess?[] processes;
    private readonly int[] httpPorts;
    private readonly int[] mqttPorts;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public WebCluster(int gateways, int houses = 3, int votingPeriodSeconds = 7 * 86400)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cgrid-webapp-cluster-").FullName;
        processes = new GatewayProcess?[gateways];
        httpPorts = Enumerable.Range(0, gateways).Select(_ => LoopbackPorts.Reserve()).ToArray();
        mqttPorts = Enumerable.Range(0, gateways).Select(_ => LoopbackPorts.Reserve()).ToArray();
        PeerPorts = Enumerable.Range(0, gateways).Select(_ => LoopbackPorts.Reserve()).ToArray();
        GatewayKeys = Enumerable.Range(0, gateways).Select(i =>
        {
            KeyFile key = KeyFile.Generate();
            key.WriteNew(KeyPath(i));
            return key;
        }).ToArray();
        Treasurer = Ed25519Signer.Generate();
        Members = Enumerable.Range(0, houses).Select(_ => Ed25519Signer.Generate()).ToArray();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Genesis = new GenesisDocument
        {
            ChainId = ChainId,
            Name = "Web App Cluster Streets",
            Currency = "EUR",
            MinorUnitDigits = 2,
            IntervalSeconds = IntervalSeconds,
            RetailPrice = 30,
            FeedInPrice = 8,
            Governance = new GovernanceRules { VotingPeriodSeconds = votingPeriodSeconds },
            Members = Members.Select((m, i) => new GenesisMember(House(i + 1), Convert.ToHexStringLower(m.PublicKey))).ToList(),
            InstallerKeys = [Convert.ToHexStringLower(Treasurer.PublicKey)],
            TreasurerKeys = [Convert.ToHexStringLower(Treasurer.PublicKey)],
            Validators = Enumerable.Range(0, gateways).Select(i => new GenesisValidator(GatewayKeys[i].PublicKeyHex, $"127.0.0.1:{PeerPorts[i]}")).ToList(),
            GenesisTimeMs = (now / IntervalSeconds * IntervalSeconds - 2 * IntervalSeconds) * 1000,
        };
        GenesisPath = Path.Combine(Directory, "genesis.json");
        GenesisFile.Write(GenesisPath, Genesis);
    }

    public string Directory { get; }
    public string GenesisPath { get; }
    public GenesisDocument Genesis { get; }
    public KeyFile[] GatewayKeys { get; }
    public int[] PeerPorts { get; }
    public Ed25519Signer Treasurer { get; }
    public Ed25519Signer[] Members { get; }
    public int Count => processes.Length;

    public static string House(int n) => $"h{n}";

    public string KeyPath(int gateway) => Path.Combine(Directory, $"g{gateway}.key");

    public string Url(int gateway) => $"http://127.0.0.1:{httpPorts[gateway]}";

    public GatewayProcess? this[int gateway] => processes[gateway];

    public async Task StartAsync(int gateway)
    {
        processes[gateway]?.Dispose();
        processes[gateway] = await GatewayProcess.StartAsync(GenesisPath, Path.Combine(Directory, $"g{gateway}"), KeyPath(gateway),
            "--http", $"127.0.0.1:{httpPorts[gateway]}", "--mqtt", $"127.0.0.1:{mqttPorts[gateway]}", "--p2p", $"127.0.0.1:{PeerPorts[gateway]}");
    }

    /// <summary>SIGTERM, as systemd stops a gateway.</summary>
    public async Task StopAsync(int gateway)
    {
        if (processes[gateway] is { HasExited: false } p) await p.StopAsync();
    }

    /// <summary>A deposit to h1 signed by the treasurer: a transaction that makes a block whenever the tests need one.</summary>
    public byte[] Deposit(long nonce, long amount) => CoseSign1Codec.Sign(
        new PaymentPayload(ChainId, nonce, House(1), PaymentKind.Deposit, amount, $"transfer {nonce}").Encode(), TxContentTypes.Payment, Treasurer);

    /// <summary>POST /transactions to one gateway; the answer must be an acceptance into its mempool.</summary>
    public async Task PostAsync(int gateway, byte[] transaction)
    {
        using var body = new ByteArrayContent(transaction);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        using HttpResponseMessage response = await http.PostAsync(Url(gateway) + "/transactions", body);
        Assert.True(response.IsSuccessStatusCode, $"POST /transactions to g{gateway}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonElement> GetAsync(int gateway, string path)
    {
        string text = await http.GetStringAsync(Url(gateway) + path);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<long> HeightAsync(int gateway) => (await GetAsync(gateway, "/status")).GetProperty("height").GetInt64();

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
                // A gateway still starting or just stopped: ask again.
            }
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {seconds} s waiting for {what}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (GatewayProcess? p in processes)
        {
            if (p is null) continue;
            if (!p.HasExited) await p.StopAsync();
            p.Dispose();
        }
        http.Dispose();
        Treasurer.Dispose();
        foreach (Ed25519Signer m in Members) m.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
