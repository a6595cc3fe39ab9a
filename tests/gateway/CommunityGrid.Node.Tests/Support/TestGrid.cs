using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// A community on disk in a temp dir: genesis file, gateway key file, data dir whose chain already holds one
/// block enrolling the meters (produced with the gateway key, as the node itself would). Genesis lies two
/// intervals before now, so readings for the last complete interval are neither stale nor in the future.
/// </summary>
public sealed class TestGrid : IDisposable
{
    public const string ChainId = "node-test";
    public const int IntervalSeconds = 900;

    private readonly List<Ed25519Signer> owned = [];

    public TestGrid(int meterCount, params string[] extraUnenrolledMeters) : this(meterCount, 2, extraUnenrolledMeters)
    {
    }

    /// <param name="genesisIntervalsAgo">How many intervals before the current one genesis lies.</param>
    public TestGrid(int meterCount, int genesisIntervalsAgo, params string[] extraUnenrolledMeters)
    {
        Directory = Path.Combine(Path.GetTempPath(), "cg-node-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        DataDirectory = Path.Combine(Directory, "data");
        GatewayKeyFile = KeyFile.Generate();
        GatewayKeyPath = Path.Combine(Directory, "gateway.key");
        GatewayKeyFile.WriteNew(GatewayKeyPath);
        Gateway = Own(Ed25519Signer.FromSeed(GatewayKeyFile.Seed));
        Installer = Own(Ed25519Signer.Generate());
        TreasurerKeyFile = KeyFile.Generate();
        TreasurerKeyPath = Path.Combine(Directory, "treasurer.key");
        TreasurerKeyFile.WriteNew(TreasurerKeyPath);
        Treasurer = Own(Ed25519Signer.FromSeed(TreasurerKeyFile.Seed));
        for (int i = 1; i <= meterCount; i++) Meters[$"m{i:00}"] = NewMeterKey($"m{i:00}");
        foreach (string id in extraUnenrolledMeters) Unenrolled[id] = NewMeterKey(id);
        long nowS = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        GenesisTimeMs = (nowS / IntervalSeconds * IntervalSeconds - genesisIntervalsAgo * IntervalSeconds) * 1000;
        Genesis = new GenesisDocument
        {
            ChainId = ChainId,
            Name = "Node Test Street",
            Currency = "EUR",
            MinorUnitDigits = 2,
            IntervalSeconds = IntervalSeconds,
            RetailPrice = 300,
            FeedInPrice = 80,
            Members = Meters.Keys.Select(id => new GenesisMember(HouseOf(id), Convert.ToHexStringLower(Own(Ed25519Signer.Generate()).PublicKey))).ToList(),
            InstallerKeys = [Convert.ToHexStringLower(Installer.PublicKey)],
            TreasurerKeys = [TreasurerKeyFile.PublicKeyHex],
            Validators = [new GenesisValidator(GatewayKeyFile.PublicKeyHex, "127.0.0.1:7001")],
            GenesisTimeMs = GenesisTimeMs,
        };
        GenesisPath = Path.Combine(Directory, "genesis.json");
        GenesisFile.Write(GenesisPath, Genesis);
        EnrolMeters();
    }

    public string Directory { get; }
    public string DataDirectory { get; }
    public string GenesisPath { get; }
    public string GatewayKeyPath { get; }
    public KeyFile GatewayKeyFile { get; }
    public Ed25519Signer Gateway { get; }
    public Ed25519Signer Installer { get; }
    /// <summary>The genesis treasurer (signs payments and admissions); its key file is at <see cref="TreasurerKeyPath"/>.</summary>
    public Ed25519Signer Treasurer { get; }
    public KeyFile TreasurerKeyFile { get; }
    public string TreasurerKeyPath { get; }
    public GenesisDocument Genesis { get; }
    public long GenesisTimeMs { get; }
    public SortedDictionary<string, Ed25519Signer> Meters { get; } = new(StringComparer.Ordinal);
    /// <summary>Meters with keys but no enrolment (the chain does not know them).</summary>
    public Dictionary<string, Ed25519Signer> Unenrolled { get; } = new(StringComparer.Ordinal);
    /// <summary>Every meter's seed (enrolled or not): the meter derives its MQTT password from it.</summary>
    public Dictionary<string, byte[]> MeterSeeds { get; } = new(StringComparer.Ordinal);
    public string DatabasePath => Path.Combine(DataDirectory, GatewayNode.DatabaseFileName);

    public static string HouseOf(string meterId) => "h-" + meterId;

    /// <summary>Start of the last interval that has ended by the wall clock: what a real meter would report now.</summary>
    public static long LastCompleteInterval() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / IntervalSeconds * IntervalSeconds - IntervalSeconds;

    public static byte[] Reading(Ed25519Signer key, string meterId, long sequence, long importWh, long exportWh = 0, long? intervalStart = null, string chainId = ChainId) =>
        SignedReadingCodec.Create(new MeterReading(chainId, meterId, sequence, intervalStart ?? LastCompleteInterval(), IntervalSeconds, importWh, exportWh, 0, "test-1"), key);

    public byte[] Reading(string meterId, long sequence, long importWh, long exportWh = 0, long? intervalStart = null) =>
        Reading(Meters.TryGetValue(meterId, out Ed25519Signer? key) ? key : Unenrolled[meterId], meterId, sequence, importWh, exportWh, intervalStart);

    public NodeOptions NodeOptions(int mqttPort) => new()
    {
        Genesis = Genesis,
        DataDirectory = DataDirectory,
        ValidatorKey = Gateway,
        MqttEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, mqttPort),
        BlockPeriod = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Opens the chain as a fresh node would (full replay from genesis); throws if it does not verify.</summary>
    public ChainStore OpenChain() => ChainStore.Open(DatabasePath, Genesis, VerifyMode.Full);

    private void EnrolMeters()
    {
        long nonce = 0;
        var enrolments = Meters.Select(m => CoseSign1Codec.Sign(
            new EnrolMeterPayload(ChainId, ++nonce, m.Key, m.Value.PublicKey, HouseOf(m.Key), MeterRole.ConnectionPoint, 0, 0, 0).Encode(),
            TxContentTypes.EnrolMeter, Installer)).ToList();
        System.IO.Directory.CreateDirectory(DataDirectory);
        using ChainStore store = OpenChain();
        Produced produced = BlockProducer.Produce(store.State, enrolments, GenesisTimeMs + 1, Gateway);
        Assert.All(produced.Outcomes, o => Assert.Equal(Chain.Validation.TxStatus.Applied, o.Outcome.Status));
        store.Append(produced.Block!);
    }

    private Ed25519Signer NewMeterKey(string meterId)
    {
        byte[] seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Ed25519Signer.SeedSize);
        MeterSeeds[meterId] = seed;
        return Own(Ed25519Signer.FromSeed(seed));
    }

    private Ed25519Signer Own(Ed25519Signer signer)
    {
        owned.Add(signer);
        return signer;
    }

    public void Dispose()
    {
        foreach (Ed25519Signer s in owned) s.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process that was just killed may still hold a file for a moment; the temp dir is cleaned by the OS later.
        }
    }
}
