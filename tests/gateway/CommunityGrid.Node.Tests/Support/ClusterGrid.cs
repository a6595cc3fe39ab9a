using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Consensus;
using CommunityGrid.Consensus.Messages;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Keys;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Acks;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Storage;

namespace CommunityGrid.Node.Tests.Support;

/// <summary>
/// A community with several validator gateways on loopback: each its key, its peer port (named in the genesis), its
/// own data directory whose chain holds block 1 (the meters' enrolment, committed by every validator's precommit).
/// </summary>
public sealed class ClusterGrid : IDisposable
{
    public const string ChainId = "cluster-test";
    public const int IntervalSeconds = TestGrid.IntervalSeconds;
    private readonly List<Ed25519Signer> owned = [];

    /// <param name="advertise">The address the genesis names for gateway i listening on port p (default 127.0.0.1:p); a relay's, for partition tests.</param>
    /// <param name="genesisIntervalsAgo">How many intervals before the current one genesis lies (room for virtual meters' past readings).</param>
    /// <param name="addedGateways">Gateways with a key and a port but not in the genesis set (for a vote to add them): numbered after the genesis ones.</param>
    /// <param name="votingPeriodSeconds">The genesis voting period (governance.md §3); null: the default week.</param>
    public ClusterGrid(int gateways, int meterCount, Func<int, int, string>? advertise = null, int genesisIntervalsAgo = 2, int addedGateways = 0, int? votingPeriodSeconds = null)
    {
        GenesisGateways = gateways;
        Directory = Path.Combine(Path.GetTempPath(), "cg-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        Installer = Own(Ed25519Signer.Generate());
        Treasurer = Own(Ed25519Signer.Generate());
        for (int i = 0; i < gateways + addedGateways; i++)
        {
            KeyFile key = KeyFile.Generate();
            key.WriteNew(KeyPath(i));
            GatewayKeys.Add(key);
            Gateways.Add(Own(Ed25519Signer.FromSeed(key.Seed)));
            PeerPorts.Add(LoopbackPorts.Reserve());
        }
        for (int i = 1; i <= meterCount; i++)
        {
            byte[] seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(Ed25519Signer.SeedSize);
            MeterSeeds[$"m{i:00}"] = seed;
            Meters[$"m{i:00}"] = Own(Ed25519Signer.FromSeed(seed));
        }
        long nowS = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        GenesisTimeMs = (nowS / IntervalSeconds * IntervalSeconds - genesisIntervalsAgo * IntervalSeconds) * 1000;
        Genesis = new GenesisDocument
        {
            ChainId = ChainId,
            Name = "Cluster Test Streets",
            Currency = "EUR",
            MinorUnitDigits = 2,
            IntervalSeconds = IntervalSeconds,
            RetailPrice = 30,
            FeedInPrice = 8,
            Members = Meters.Keys.Select(id => new GenesisMember(TestGrid.HouseOf(id), Convert.ToHexStringLower(MemberKey(TestGrid.HouseOf(id)).PublicKey))).ToList(),
            InstallerKeys = [Convert.ToHexStringLower(Installer.PublicKey)],
            TreasurerKeys = [Convert.ToHexStringLower(Treasurer.PublicKey)],
            Validators = Enumerable.Range(0, gateways).Select(i => new GenesisValidator(GatewayKeys[i].PublicKeyHex, advertise?.Invoke(i, PeerPorts[i]) ?? $"127.0.0.1:{PeerPorts[i]}")).ToList(),
            GenesisTimeMs = GenesisTimeMs,
            Governance = votingPeriodSeconds is { } period ? GovernanceRules.Default with { VotingPeriodSeconds = period } : GovernanceRules.Default,
        };
        GenesisPath = Path.Combine(Directory, "genesis.json");
        GenesisFile.Write(GenesisPath, Genesis);
        EnrolMeters();
    }

    public string Directory { get; }

    /// <summary>How many of <see cref="Gateways"/> the genesis names as validators (the first ones).</summary>
    public int GenesisGateways { get; }

    /// <summary>Each member house's key (house id → key), for proposals and votes.</summary>
    public SortedDictionary<string, Ed25519Signer> MemberKeys { get; } = new(StringComparer.Ordinal);

    private Ed25519Signer MemberKey(string houseId)
    {
        if (!MemberKeys.TryGetValue(houseId, out Ed25519Signer? key)) MemberKeys[houseId] = key = Own(Ed25519Signer.Generate());
        return key;
    }

    /// <summary>A transaction signed by the member key of <paramref name="houseId"/>.</summary>
    public byte[] SignedByMember(string houseId, AdminPayload payload) =>
        CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), MemberKeys[houseId]);
    public string GenesisPath { get; }
    public GenesisDocument Genesis { get; }
    public long GenesisTimeMs { get; }
    public Ed25519Signer Installer { get; }
    public Ed25519Signer Treasurer { get; }

    /// <summary>A deposit of <paramref name="amount"/> minor units to the house of meter m01, signed by the treasurer with <paramref name="nonce"/>.</summary>
    public byte[] Deposit(long nonce, long amount) => CoseSign1Codec.Sign(
        new PaymentPayload(ChainId, nonce, TestGrid.HouseOf("m01"), PaymentKind.Deposit, amount, $"transfer {nonce}").Encode(), TxContentTypes.Payment, Treasurer);
    public List<KeyFile> GatewayKeys { get; } = [];
    public List<Ed25519Signer> Gateways { get; } = [];
    public List<int> PeerPorts { get; } = [];
    public SortedDictionary<string, Ed25519Signer> Meters { get; } = new(StringComparer.Ordinal);

    /// <summary>Each meter's key seed: a real meter's key file, and the source of its MQTT password.</summary>
    public Dictionary<string, byte[]> MeterSeeds { get; } = new(StringComparer.Ordinal);

    public string DataDirectory(int gateway) => Path.Combine(Directory, $"g{gateway}");

    public string KeyPath(int gateway) => Path.Combine(Directory, $"g{gateway}.key");

    public string DatabasePath(int gateway) => Path.Combine(DataDirectory(gateway), GatewayNode.DatabaseFileName);

    public byte[] Reading(string meterId, long sequence, long importWh, long intervalStart) =>
        TestGrid.Reading(Meters[meterId], meterId, sequence, importWh, 0, intervalStart, ChainId);

    public NodeOptions NodeOptions(int gateway, Action<ReadingAck>? onAck = null) => new()
    {
        Genesis = Genesis,
        DataDirectory = DataDirectory(gateway),
        ValidatorKey = Gateways[gateway],
        MqttEndpoint = null,
        BlockPeriod = null,
        OnAck = onAck,
        Consensus = new ConsensusOptions(GatewayKeys[gateway].Seed, Path.Combine(DataDirectory(gateway), ConsensusOptions.SignStateFileName))
        {
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        },
    };

    public ChainStore OpenChain(int gateway) => ChainStore.Open(DatabasePath(gateway), Genesis, VerifyMode.Full);

    /// <summary>Block 1 enrols the meters; every validator precommits it in round 0, as consensus would have.</summary>
    private void EnrolMeters()
    {
        long nonce = 0;
        var enrolments = Meters.Select(m => CoseSign1Codec.Sign(
            new EnrolMeterPayload(ChainId, ++nonce, m.Key, m.Value.PublicKey, TestGrid.HouseOf(m.Key), MeterRole.ConnectionPoint, 0, 0, 0).Encode(),
            TxContentTypes.EnrolMeter, Installer)).ToList();
        for (int g = 0; g < GenesisGateways; g++)
        {
            System.IO.Directory.CreateDirectory(DataDirectory(g));
            using ChainStore store = OpenChain(g);
            Proposal proposal = BlockProducer.Propose(store.State, enrolments, GenesisTimeMs + 1, Gateways[0].PublicKey);
            var id = new BlockId(proposal.Header!.Hash());
            CommitCertificate commit = CommitCertificate.FromPrecommits(
                Gateways.Take(GenesisGateways).Select(k => SignedVote.Create(ChainId, MessageType.Precommit, 1, 0, id, k)));
            store.Append(new Block(proposal.Header, proposal.Body!, commit));
        }
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
        }
    }
}
