using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Storage;

namespace CommunityGrid.Consensus.Benchmarks;

/// <summary>
/// A community on disk for one run: <c>gateways</c> validators on free loopback ports, <c>meters</c> enrolled meters
/// in block 1 (committed by every validator), one data directory per gateway.
/// </summary>
internal sealed class BenchCommunity : IDisposable
{
    public const string ChainId = "bench-grid";
    public const int IntervalSeconds = 900;
    private readonly List<Ed25519Signer> owned = [];
    private readonly List<byte[]> seeds = [];

    public BenchCommunity(int gateways, int meters)
    {
        Directory = Path.Combine(Path.GetTempPath(), "cg-bench-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        Ed25519Signer installer = Own(Ed25519Signer.Generate());
        var validators = new List<GenesisValidator>();
        for (int g = 0; g < gateways; g++)
        {
            byte[] seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            seeds.Add(seed);
            Gateways.Add(Own(Ed25519Signer.FromSeed(seed)));
            validators.Add(new GenesisValidator(Convert.ToHexStringLower(Gateways[g].PublicKey), $"127.0.0.1:{LoopbackPorts.Reserve()}"));
        }
        for (int m = 0; m < meters; m++) Meters.Add(($"m{m:0000}", Own(Ed25519Signer.Generate())));
        long nowS = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        GenesisTimeMs = (nowS / IntervalSeconds * IntervalSeconds - 2 * IntervalSeconds) * 1000;
        Genesis = new GenesisDocument
        {
            ChainId = ChainId,
            Name = "Bench",
            Currency = "EUR",
            MinorUnitDigits = 2,
            IntervalSeconds = IntervalSeconds,
            RetailPrice = 30,
            FeedInPrice = 8,
            Members = Meters.Select(m => new GenesisMember("h-" + m.Id, Convert.ToHexStringLower(Own(Ed25519Signer.Generate()).PublicKey))).ToList(),
            InstallerKeys = [Convert.ToHexStringLower(installer.PublicKey)],
            TreasurerKeys = [Convert.ToHexStringLower(Own(Ed25519Signer.Generate()).PublicKey)],
            Validators = validators,
            GenesisTimeMs = GenesisTimeMs,
        };
        long nonce = 0;
        var enrolments = Meters.Select(m => CoseSign1Codec.Sign(
            new EnrolMeterPayload(ChainId, ++nonce, m.Id, m.Key.PublicKey, "h-" + m.Id, MeterRole.ConnectionPoint, 0, 0, 0).Encode(),
            TxContentTypes.EnrolMeter, installer)).ToList();
        for (int g = 0; g < gateways; g++)
        {
            System.IO.Directory.CreateDirectory(DataDirectory(g));
            using ChainStore store = ChainStore.Open(Path.Combine(DataDirectory(g), GatewayNode.DatabaseFileName), Genesis);
            // Block 1 may hold at most 2000 transactions: enrol in blocks of 2000, each committed by every validator.
            for (int start = 0; start < enrolments.Count; start += BlockProducer.DefaultMaxTransactions)
            {
                var batch = enrolments.Skip(start).Take(BlockProducer.DefaultMaxTransactions).ToList();
                Proposal p = BlockProducer.Propose(store.State, batch, Math.Max(GenesisTimeMs + 1, store.State.TipTimeMs + 1), Gateways[0].PublicKey);
                var id = new BlockId(p.Header!.Hash());
                CommitCertificate commit = CommitCertificate.FromPrecommits(Gateways.Select(k => SignedVote.Create(ChainId, MessageType.Precommit, p.Header.Height, 0, id, k)));
                store.Append(new Block(p.Header, p.Body!, commit));
            }
        }
    }

    public string Directory { get; }
    public GenesisDocument Genesis { get; }
    public long GenesisTimeMs { get; }
    public List<Ed25519Signer> Gateways { get; } = [];
    public List<(string Id, Ed25519Signer Key)> Meters { get; } = [];

    public string DataDirectory(int g) => Path.Combine(Directory, $"g{g}");

    public NodeOptions Options(int g, Action<ReadingAck> onAck) => new()
    {
        Genesis = Genesis,
        DataDirectory = DataDirectory(g),
        ValidatorKey = Gateways[g],
        MqttEndpoint = null,
        // A gateway alone makes a block every 100 ms; several decide as soon as there is something to decide.
        BlockPeriod = TimeSpan.FromMilliseconds(100),
        OnAck = onAck,
        Consensus = new ConsensusOptions(seeds[g], Path.Combine(DataDirectory(g), ConsensusOptions.SignStateFileName)),
    };

    public byte[] Reading(int meter, long intervalStart) =>
        SignedReadingCodec.Create(new MeterReading(ChainId, Meters[meter].Id, 1, intervalStart, IntervalSeconds, 100 + meter % 50, 0, 0, "bench"), Meters[meter].Key);

    private Ed25519Signer Own(Ed25519Signer key)
    {
        owned.Add(key);
        return key;
    }

    public void Dispose()
    {
        foreach (Ed25519Signer key in owned) key.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
