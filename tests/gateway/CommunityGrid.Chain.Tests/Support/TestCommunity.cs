using System;
using System.Collections.Generic;
using System.Linq;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Chain.Encoding;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Governance;
using CommunityGrid.Chain.State;
using CommunityGrid.Chain.Transactions;
using CommunityGrid.Chain.Validation;
using CommunityGrid.Formats.Cose;
using CommunityGrid.Formats.Readings;
using CommunityGrid.Formats.Signing;

namespace CommunityGrid.Chain.Tests.Support;

/// <summary>
/// A small community with deterministic keys: houses h1..h3, one installer, one treasurer, one validator.
/// Helpers sign transactions and produce blocks at given times; every produced block is kept for replay.
/// </summary>
public sealed class TestCommunity : IDisposable
{
    public const string ChainId = "test-grid";
    /// <summary>Unix seconds 1_800_000_000 is a multiple of 900, so genesis starts exactly at an interval boundary.</summary>
    public const long T0 = 1_800_000_000;
    public const int Interval = 900;
    public const int Grace = 60;

    private readonly Dictionary<string, long> nonces = new(StringComparer.Ordinal);
    private readonly List<Ed25519Signer> owned = [];

    /// <param name="houses">Member houses h1..hN (at most 50: member keys use seeds 11..60).</param>
    /// <param name="governance">Voting rules; the defaults when null.</param>
    public TestCommunity(int fundSharePermille = 250, long retailPrice = 300, long feedInPrice = 80,
        string mechanism = GenesisDocument.GridOnlyMechanism, int houses = 3, GovernanceRules? governance = null,
        long maxConnectionPowerW = GenesisDocument.DefaultMaxConnectionPowerW, int exitFundSharePermille = 0)
    {
        Installer = Key(1);
        Treasurer = Key(2);
        Validator = Key(3);
        Members = Enumerable.Range(0, houses).Select(i => Key((byte)(11 + i))).ToArray();
        Genesis = new GenesisDocument
        {
            ChainId = ChainId,
            Name = "Test Street",
            Currency = "EUR",
            MinorUnitDigits = 2,
            IntervalSeconds = Interval,
            GraceSeconds = Grace,
            RetailPrice = retailPrice,
            FeedInPrice = feedInPrice,
            FundSharePermille = fundSharePermille,
            PricingMechanism = mechanism,
            MaxConnectionPowerW = maxConnectionPowerW,
            Governance = governance ?? GovernanceRules.Default,
            ExitFundSharePermille = exitFundSharePermille,
            Members = Members.Select((k, i) => new GenesisMember($"h{i + 1}", Hashes.Hex(k.PublicKey))).ToList(),
            InstallerKeys = [Hashes.Hex(Installer.PublicKey)],
            TreasurerKeys = [Hashes.Hex(Treasurer.PublicKey)],
            Validators = [new GenesisValidator(Hashes.Hex(Validator.PublicKey), "127.0.0.1:7001")],
            GenesisTimeMs = T0 * 1000,
        };
        State = ChainState.FromGenesis(Genesis);
        State.CommittedReadings = Committed;
    }

    public Ed25519Signer Installer { get; }
    public Ed25519Signer Treasurer { get; }
    public Ed25519Signer Validator { get; }
    public Ed25519Signer[] Members { get; }
    public GenesisDocument Genesis { get; }
    public ChainState State { get; }
    /// <summary>The readings of the blocks <see cref="Produce"/> applied, standing in for a gateway's store.</summary>
    public MemoryCommittedReadings Committed { get; } = new();
    public List<Block> Blocks { get; } = [];
    public Dictionary<string, Ed25519Signer> Meters { get; } = new(StringComparer.Ordinal);

    /// <summary>A key from a fixed seed, so test runs are repeatable.</summary>
    public Ed25519Signer Key(byte n)
    {
        var seed = new byte[32];
        seed[0] = n;
        seed[31] = 0x5a;
        Ed25519Signer signer = Ed25519Signer.FromSeed(seed);
        owned.Add(signer);
        return signer;
    }

    public long NextNonce(Ed25519Signer signer)
    {
        string id = Hashes.Hex(signer.PublicKey);
        long next = nonces.GetValueOrDefault(id) + 1;
        nonces[id] = next;
        return next;
    }

    public static byte[] Sign(AdminPayload payload, Ed25519Signer signer) =>
        CoseSign1Codec.Sign(payload.Encode(), TxContentTypes.Of(payload.Type), signer);

    public byte[] EnrolTx(string meterId, string houseId, MeterRole role = MeterRole.ConnectionPoint, long import = 0, long export = 0, long pv = 0)
    {
        if (!Meters.ContainsKey(meterId)) Meters[meterId] = Key((byte)(100 + Meters.Count));
        var payload = new EnrolMeterPayload(ChainId, NextNonce(Installer), meterId, Meters[meterId].PublicKey, houseId, role, import, export, pv);
        return Sign(payload, Installer);
    }

    public byte[] PaymentTx(string houseId, PaymentKind kind, long amount, string reference = "bank ref") =>
        Sign(new PaymentPayload(ChainId, NextNonce(Treasurer), houseId, kind, amount, reference), Treasurer);

    public byte[] AdmitTx(string houseId, Ed25519Signer memberKey) =>
        Sign(new AdmitMemberPayload(ChainId, NextNonce(Treasurer), houseId, memberKey.PublicKey), Treasurer);

    /// <param name="interval">Index of the interval after genesis (0 = the first).</param>
    public byte[] ReadingTx(string meterId, long sequence, long interval, long import, long export, long pv = 0,
        Ed25519Signer? signer = null, string chainId = ChainId, int intervalSeconds = Interval)
    {
        var reading = new MeterReading(chainId, meterId, sequence, IntervalStart(interval, intervalSeconds), intervalSeconds, import, export, pv, "1.0.0");
        return SignedReadingCodec.Create(reading, signer ?? Meters[meterId]);
    }

    public static long IntervalStart(long interval, int intervalSeconds = Interval) =>
        T0 - T0 % intervalSeconds + interval * intervalSeconds;

    /// <summary>Block time in ms at <paramref name="seconds"/> after genesis.</summary>
    public static long At(long seconds) => (T0 + seconds) * 1000;

    /// <summary>Time just after interval <paramref name="interval"/> ended, before it may close.</summary>
    public static long EndOf(long interval) => At((interval + 1) * Interval) + 1;

    /// <summary>Time at which interval <paramref name="interval"/> closes.</summary>
    public static long CloseOf(long interval) => At((interval + 1) * Interval + Grace);

    /// <summary>Produces and applies a block; every candidate must apply.</summary>
    public Block Produce(long timeMs, params byte[][] txs)
    {
        Produced produced = BlockProducer.Produce(State, txs, timeMs, Validator);
        foreach (MempoolOutcome o in produced.Outcomes)
        {
            Assert.True(o.Outcome.Status == TxStatus.Applied, $"candidate {o.Index}: {o.Outcome}");
        }
        Assert.NotNull(produced.Block);
        State.ApplyBlock(produced.Block!);
        Committed.Record(produced.Block!);
        Blocks.Add(produced.Block!);
        return produced.Block!;
    }

    /// <summary>Proposes without applying and returns the single candidate's outcome.</summary>
    public TxOutcome Try(byte[] tx, long timeMs)
    {
        Produced produced = BlockProducer.Produce(State, [tx], timeMs, Validator);
        return Assert.Single(produced.Outcomes).Outcome;
    }

    /// <summary>Enrols connection-point meters m1..m3 for h1..h3 in one block right after genesis.</summary>
    public TestCommunity WithMeters()
    {
        Produce(At(1), EnrolTx("m1", "h1"), EnrolTx("m2", "h2"), EnrolTx("m3", "h3"));
        return this;
    }

    public long Balance(string houseId) => State.View().Balance(houseId);

    public void Dispose()
    {
        foreach (Ed25519Signer s in owned) s.Dispose();
    }
}
