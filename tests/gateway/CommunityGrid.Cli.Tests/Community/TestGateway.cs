using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Api.Json;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CommunityGrid.Cli.Tests.Community;

/// <summary>
/// A gateway for the admin commands to talk to: a real SQLite chain and the real HTTP API on Kestrel (loopback,
/// free port). Instead of the node's mempool, every submitted transaction that applies is sealed into a block
/// at once, so a command's effect is visible to the next GET. Key files for the officers sit in a temp directory.
/// </summary>
public sealed class TestGateway : IDisposable, IGatewayBackend
{
    public const string Chain = "cli-test";
    private readonly object gate = new();
    private readonly ChainStore store;
    private readonly Ed25519Signer validator;
    private readonly WebApplication app;

    public TestGateway()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("cgrid-cli-gw-").FullName;
        InstallerKey = NewKeyFile("installer.key");
        TreasurerKey = NewKeyFile("treasurer.key");
        KeyFile validatorKey = NewKeyFile("validator.key");
        MemberKey = NewKeyFile("h1-member.key");
        validator = Ed25519Signer.FromSeed(validatorKey.Seed);
        Genesis = new GenesisDocument
        {
            ChainId = Chain,
            Name = "CLI test street",
            Currency = "EUR",
            MinorUnitDigits = 2,
            RetailPrice = 300,
            FeedInPrice = 80,
            Members = [new GenesisMember("h1", MemberKey.PublicKeyHex)],
            InstallerKeys = [InstallerKey.PublicKeyHex],
            TreasurerKeys = [TreasurerKey.PublicKeyHex],
            Validators = [new GenesisValidator(validatorKey.PublicKeyHex, "127.0.0.1:7001")],
            GenesisTimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000,
        };
        store = ChainStore.Open(Path.Combine(Directory, "chain.db"), Genesis);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapGatewayApi(this);
        app.StartAsync().GetAwaiter().GetResult();
        Url = app.Urls.Single();
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Directory { get; }
    public string Url { get; }
    public HttpClient Client { get; }
    public GenesisDocument Genesis { get; }
    public KeyFile InstallerKey { get; }
    public KeyFile TreasurerKey { get; }
    public KeyFile MemberKey { get; }
    public string InstallerKeyPath => Path.Combine(Directory, "installer.key");
    public string TreasurerKeyPath => Path.Combine(Directory, "treasurer.key");

    /// <summary>When set, submissions are accepted but never sealed: a mempool whose producer skips or stalls.</summary>
    public bool HoldSubmissions { get; set; }

    public GatewayMetrics Metrics { get; } = new();
    public string ChainId => Chain;

    public T Read<T>(Func<ChainStore, T> query)
    {
        lock (gate) return query(store);
    }

    public SubmitOutcome Submit(byte[] transaction)
    {
        lock (gate)
        {
            if (HoldSubmissions) return new SubmitOutcome(true, Hashes.Hex(Hashes.Sha256(transaction)), null);
            long time = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), store.State.TipTimeMs + 1);
            Produced produced = BlockProducer.Produce(store.State, [transaction], time, validator);
            MempoolOutcome outcome = produced.Outcomes.Single();
            if (outcome.Outcome.Status == TxStatus.Rejected)
            {
                return new SubmitOutcome(false, Hashes.Hex(outcome.TxId), $"{outcome.Outcome.Reason}: {outcome.Outcome.Detail}");
            }
            if (produced.Block is { } block) store.Append(block);
            return new SubmitOutcome(true, Hashes.Hex(outcome.TxId), null);
        }
    }

    /// <summary>A fresh public key for a meter or a house, as an installer would read it off the device.</summary>
    public static string NewPublicKey() => KeyFile.Generate().PublicKeyHex;

    /// <summary>GETs <paramref name="path"/> until it answers 200 (a real node commits a block or so later), at most 10 s.</summary>
    public async Task<T> WaitForAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using HttpResponseMessage response = await Client.GetAsync(path);
            string body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK) return JsonSerializer.Deserialize(body, type)!;
            if (response.StatusCode != HttpStatusCode.NotFound || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"GET {path}: {(int)response.StatusCode} {body}");
            }
            await Task.Delay(100);
        }
    }

    public Task<SignerResponse> SignerAsync(KeyFile key) => WaitForAsync("/signers/" + key.PublicKeyHex, ApiJsonContext.Default.SignerResponse);

    private KeyFile NewKeyFile(string name)
    {
        KeyFile key = KeyFile.Generate();
        key.WriteNew(Path.Combine(Directory, name));
        return key;
    }

    public void Dispose()
    {
        Client.Dispose();
        app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)app).Dispose();
        store.Dispose();
        validator.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
