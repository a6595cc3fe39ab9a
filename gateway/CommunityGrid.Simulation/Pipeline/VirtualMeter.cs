using System;
using System.Collections.Generic;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Intervals;
using CommunityGrid.Meter.LightClient;
using CommunityGrid.Meter.Queue;
using CommunityGrid.Meter.Storage;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Profiles;
using GatewayReading = CommunityGrid.Formats.Readings.MeterReading;
using PortableReading = CommunityGrid.Protocol.Readings.MeterReading;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// One simulated meter running the real meter core: IntervalRecorder (build, sign, append to the store-and-forward
/// ReadingQueue, commit to the sequence store), on a MemoryFileStore instead of flash. Its registers come from the
/// house's profile. It notices each interval boundary a few seconds late (its own poll phase), like a real meter's 1 s
/// loop that is busy with other things, and it resends unacknowledged readings after a timeout or a reconnect.
/// Over MQTT it is a light client (docs/protocol.md §7.6): the core's <see cref="MeterLightClient"/>, installed with
/// the chain's genesis validator set, releases committed readings from the queue only on a verified proof.
/// </summary>
public sealed class VirtualMeter
{
    public const string FirmwareVersion = "sim-1.0";
    private const int SendWindow = 16;
    private const long ResendAfterMs = 90_000;      // longer than the block period, so waiting for a block is not mistaken for a loss
    // The Linux meter's defaults (docs/meter-linux.md, lightClient): figures unverified after 4 intervals without a
    // verified header, trust expired after 30 days; a simulated run is shorter than the latter.
    private const long LightClientStaleAfterIntervals = 4;
    private const long LightClientTrustExpiresAfterIntervals = 2880;

    private readonly SimulatedMeterSpec spec;
    private readonly long[] importPrefix, exportPrefix, pvPrefix;
    private readonly long startSeconds;
    private readonly int phaseSeconds;
    private readonly IntervalRecorder recorder;
    private readonly ReadingQueue queue;
    private readonly Dictionary<long, long> sentAtMs = [];
    private readonly Dictionary<long, string> chainOf = [];
    private readonly string chainId;
    private readonly byte[] publicKey;
    private readonly Dictionary<string, MeterLightClient> lightClients = new(StringComparer.Ordinal);
    private long nextPollSeconds;

    public VirtualMeter(SimulatedMeterSpec spec, HouseSeries series, string chainId, long startSeconds, int phaseSeconds)
    {
        this.spec = spec;
        this.startSeconds = startSeconds;
        this.phaseSeconds = phaseSeconds;
        this.chainId = chainId;
        bool grid = spec.Role == Chain.Transactions.MeterRole.ConnectionPoint;
        importPrefix = Prefix(grid ? series.ImportWh : null, series.Intervals);
        exportPrefix = Prefix(grid ? series.ExportWh : null, series.Intervals);
        pvPrefix = Prefix(grid ? null : series.PvWh, series.Intervals);
        publicKey = Protocol.Crypto.Ed25519.PublicKeyFromSeed(spec.KeySeed);
        var store = new MemoryFileStore();
        queue = new ReadingQueue(store, new QueueOptions());
        queue.Open();
        recorder = new IntervalRecorder(
            new ReadingBuilder(chainId, spec.MeterId, ProfileGenerator.IntervalSeconds, FirmwareVersion),
            new SequenceStore(store),
            new FastReadingSigner(spec.KeySeed),
            queue);
        recorder.Start();
        // The meter was running when the simulation started: this first poll only notes the current interval.
        recorder.Poll(startSeconds, spec.InitialImportWh, spec.InitialExportWh, spec.InitialPvWh);
        nextPollSeconds = startSeconds + ProfileGenerator.IntervalSeconds + phaseSeconds;
    }

    public string MeterId => spec.MeterId;
    public string HouseId => spec.HouseId;
    public bool Online { get; set; } = true;
    public int Queued => queue.Count;
    public long Made { get; private set; }
    public long DroppedFromQueue => queue.DroppedCount;
    public long LastAcknowledged => queue.LastAcknowledged;
    /// <summary>Whether the meter has made its reading for the last simulated interval.</summary>
    public bool PollsDone => (nextPollSeconds - phaseSeconds - startSeconds) / ProfileGenerator.IntervalSeconds > importPrefix.Length - 1;

    /// <summary>Makes and queues the reading for the interval just ended once the meter's loop notices the boundary.</summary>
    public void Tick(long nowSeconds)
    {
        if (nowSeconds < nextPollSeconds) return;
        long completed = (nowSeconds - startSeconds) / ProfileGenerator.IntervalSeconds;
        if (completed > importPrefix.Length - 1) return;      // past the simulated horizon: no energy, no more readings
        SignedInterval? done = recorder.Poll(nowSeconds,
            spec.InitialImportWh + importPrefix[completed], spec.InitialExportWh + exportPrefix[completed], spec.InitialPvWh + pvPrefix[completed]);
        if (done is not null)
        {
            Made++;
            chainOf[done.Sequence] = done.Reading.ChainId;
        }
        nextPollSeconds = startSeconds + (completed + 1) * ProfileGenerator.IntervalSeconds + phaseSeconds;
    }

    /// <summary>The meter follows its house to <paramref name="newChainId"/> from that interval on (the meter core's chain move).</summary>
    public void MoveTo(string newChainId, long fromIntervalStart) => recorder.MoveChain(newChainId, fromIntervalStart);

    /// <summary>
    /// Readings to (re)send now: the oldest waiting ones, in queue order, not sent within the resend timeout, each with
    /// the chain it is signed for; readings for a chain <paramref name="reachable"/> says no to wait (the new community's
    /// gateway is not running yet).
    /// </summary>
    public IReadOnlyList<(long Sequence, byte[] Payload, string ChainId)> DueForSending(long nowMs, Func<string, bool>? reachable = null)
    {
        // Asked every step (every 5 simulated seconds) and nearly always nothing is due: that answer allocates nothing.
        if (!Online || recorder.CommitPending || queue.Count == 0) return [];
        List<(long, byte[], string)>? due = null;
        int window = Math.Min(SendWindow, queue.Count);
        for (int i = 0; i < window; i++)
        {
            QueuedReading reading = queue.GetPending(i);
            string chain = chainOf.GetValueOrDefault(reading.Sequence, chainId);
            if (reachable is not null && !reachable(chain)) break;
            if (sentAtMs.TryGetValue(reading.Sequence, out long at) && nowMs - at < ResendAfterMs) continue;
            sentAtMs[reading.Sequence] = nowMs;
            (due ??= []).Add((reading.Sequence, reading.Payload, chain));
        }
        if (due is null) return [];
        return due;
    }

    /// <summary>Going offline loses what was in flight: after reconnecting, everything unacknowledged is sent again.</summary>
    public void Disconnect()
    {
        Online = false;
        sentAtMs.Clear();
    }

    /// <summary>Releases the queue through <paramref name="sequence"/> (direct path: committed; MQTT: a verified rejection ack).</summary>
    public void Acknowledge(long sequence)
    {
        if (queue.Acknowledge(sequence)) ForgetReleased();
    }

    /// <summary>
    /// Installs the light client for <paramref name="chain"/> with its validator set (chain.md §1 encoding; the genesis
    /// set, as an installer configures a meter), unless one is installed. The meter's interval counter now counts as
    /// its first verification (docs/meter.md, "Light client"). Inclusion paths are hashed with the platform SHA-256
    /// (<c>BclMerkleHasher</c>, the gateway's: same bytes as the portable hasher a meter keeps, BclMerkleHasherTests),
    /// about half a million hashes a simulated day.
    /// </summary>
    public void InstallLightClient(string chain, byte[] validatorSet, ISignatureCheck signatureCheck)
    {
        if (lightClients.ContainsKey(chain)) return;
        lightClients[chain] = new MeterLightClient(chain, spec.MeterId, publicKey, validatorSet, MeterInterval,
            LightClientStaleAfterIntervals, LightClientTrustExpiresAfterIntervals, queue, new Meter.Display.MeterDisplayState(), new MemoryFileStore(), signatureCheck,
            Chain.State.BclMerkleHasher.Instance);
    }

    /// <summary>One proof message from the meter's proofs topic on <paramref name="chain"/>: the core's light client verifies it and only then releases readings.</summary>
    public ProofOutcome ApplyProof(string chain, byte[] payload)
    {
        if (!lightClients.TryGetValue(chain, out MeterLightClient? client)) throw new InvalidOperationException($"meter {spec.MeterId} has no validator set installed for chain {chain}");
        ProofOutcome outcome = client.Apply(payload, MeterInterval);
        if (outcome.Released) ForgetReleased();
        return outcome;
    }

    /// <summary>Hashes and signature checks the meter's light clients spent so far.</summary>
    public (long Hashes, long SignatureChecks) LightClientCost()
    {
        long hashes = 0, signatures = 0;
        foreach (MeterLightClient client in lightClients.Values)
        {
            hashes += client.Verifier.Cost.Sha256Hashes;
            signatures += client.Verifier.Cost.SignatureChecks;
        }
        return (hashes, signatures);
    }

    /// <summary>The light client's clock: intervals this meter has closed and signed, i.e. its last sequence (as on the Linux meter).</summary>
    private long MeterInterval => recorder.NextSequence - 1;

    private void ForgetReleased()
    {
        var released = new List<long>();
        foreach (long s in sentAtMs.Keys) if (s <= queue.ReleasedThrough) released.Add(s);
        foreach (long s in released)
        {
            sentAtMs.Remove(s);
            chainOf.Remove(s);
        }
    }

    private static long[] Prefix(long[]? perInterval, int intervals)
    {
        var prefix = new long[intervals + 1];
        for (int i = 0; i < intervals; i++) prefix[i + 1] = prefix[i] + (perInterval?[i] ?? 0);
        return prefix;
    }

    /// <summary>
    /// Signs with libsodium (NSec) instead of the meter's portable Ed25519: the bytes are identical (Ed25519 is
    /// deterministic; VirtualMeterSigningTests and the Formats interop tests prove it), and the simulator signs tens
    /// of thousands of readings, where libsodium is several times faster.
    /// </summary>
    private sealed class FastReadingSigner(byte[] seed) : IReadingSigner
    {
        private readonly Ed25519Signer signer = Ed25519Signer.FromSeed(seed);

        public byte[] Sign(PortableReading r) => Formats.Readings.SignedReadingCodec.Create(
            new GatewayReading(r.ChainId, r.MeterId, r.Sequence, r.IntervalStart, r.IntervalLengthSeconds, r.ImportWh, r.ExportWh, r.PvWh, r.FirmwareVersion),
            signer);
    }
}
