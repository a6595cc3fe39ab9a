using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CommunityGrid.Chain.Genesis;
using CommunityGrid.Chain.Intervals;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Simulation.Community;
using CommunityGrid.Simulation.Governance;
using CommunityGrid.Simulation.Profiles;
using CommunityGrid.Simulation.Settlement;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>What a transport factory gets: where the chain lives, its genesis and catalog, the gateway's key and the virtual clock.</summary>
public sealed record TransportContext(string ChainPath, SimulatedCommunity Community, SettlementCatalog Catalog, Ed25519Signer Validator, VirtualClock Clock, long BlockPeriodMs)
{
    public GenesisDocument Genesis => Community.Genesis;

    /// <summary>
    /// Meters whose house leaves this chain during the run (<c>--split</c>). Once its exit is final the house has no
    /// balance entry, so this chain can no longer prove its meters' last readings (protocol §7.8): their proofs are
    /// applied when they come but not waited for; the new community's proofs release those readings.
    /// </summary>
    public IReadOnlySet<string> MetersLeaving { get; init; } = new HashSet<string>();
}

/// <summary>
/// Runs a simulated community on a virtual clock: builds it from the seed, generates every house's profiles, starts
/// one virtual meter per meter, and steps time: meters notice interval boundaries and queue signed readings, online
/// meters publish what is due, the gateway side makes blocks and acknowledges, and outages and restarts happen as
/// planned. Ends when every interval of the period is settled and every queue has drained.
/// </summary>
public sealed class CommunitySimulation(SimulationOptions options, Func<TransportContext, IReadingTransport>? transportFactory = null)
{
    private const long TailLimitSeconds = 2 * 86400;
    // Several gateways can only agree through the node host: they get the cluster unless a caller brings its own.
    private readonly Func<TransportContext, IReadingTransport> createTransport = transportFactory
        ?? (options.Gateways > 1 ? context => new ClusterTransport(context, options) : Direct);

    public static IReadingTransport Direct(TransportContext c) =>
        new DirectTransport(new DirectGateway(c.ChainPath, c.Genesis, c.Catalog, c.Validator, c.BlockPeriodMs));

    public async Task<SimulationResult> RunAsync(IProgress<SimulationProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        string chainPath = Path.Combine(options.OutputDirectory, SimulationOptions.ChainFileName);
        string genesisPath = Path.Combine(options.OutputDirectory, SimulationOptions.GenesisFileName);
        if (File.Exists(chainPath)) throw new IOException($"{chainPath} exists; simulate into an empty or new directory (--out)");

        long start = options.StartUnixSeconds, end = options.EndUnixSeconds;
        void Stage(string what) => progress?.Report(new SimulationProgress(DateTimeOffset.FromUnixTimeSeconds(start), 0, 0, 0, 0, what));
        Stage($"building the community: {options.Community.Houses} houses, keys and genesis");
        // Several gateways find each other at the addresses the genesis names: free loopback ports, so runs can share a host.
        IReadOnlyList<string>? gatewayAddresses = options.Gateways == 1 ? null
            : Enumerable.Range(0, options.Gateways).Select(_ => $"127.0.0.1:{LoopbackPorts.Reserve()}").ToList();
        SimulatedCommunity community = SimulatedCommunity.Build(options.Community, start * 1000, gatewayAddresses);
        GenesisFile.Write(genesisPath, community.Genesis);

        Stage($"generating PV and load profiles ({options.Community.Houses} houses x {options.Days} day(s))");
        var profileTime = Stopwatch.StartNew();
        List<VirtualMeter> meters = MeterFleet.Create(community, options);
        profileTime.Stop();

        var clearingTime = new Stopwatch();
        var clock = new VirtualClock(start * 1000);
        using Ed25519Signer validator = community.Validator();
        var context = new TransportContext(chainPath, community, SimulationCatalog.Create(clearingTime), validator, clock, options.BlockPeriodMs)
        {
            MetersLeaving = options.Split is { } splitPlan
                ? community.Leavers(splitPlan).SelectMany(h => h.PvMeter is { } pv ? new[] { h.GridMeter.MeterId, pv.MeterId } : new[] { h.GridMeter.MeterId }).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(),
        };
        var meterTime = new Stopwatch();
        TransportStats stats;
        ProofTotals proofTotals;
        SplitOutcome? splitOutcome = null;
        string transportName;
        Stage(options.Gateways == 1 ? $"starting the gateway ({meters.Count} meters)" : $"starting {options.Gateways} gateways, one per street ({meters.Count} meters)");
        BreakawayRun? breakaway = options.Split is { } plan ? new BreakawayRun(plan, options, community, createTransport, context.Catalog, clock) : null;
        await using (breakaway)
        await using (IReadingTransport transport = createTransport(context))
        {
            transportName = transport.Name;
            Stage($"running on the virtual clock over {transport.Name}");
            await transport.SubmitAsync(community.EnrolmentTransactions());
            if (options.Split is { } split)
            {
                // The leavers sign their exits at the start; their meters move to the new chain from the exit interval.
                await transport.SubmitAsync(community.ExitTransactions(split));
                var leaving = new HashSet<string>(community.Leavers(split).Select(h => h.HouseId), StringComparer.Ordinal);
                foreach (VirtualMeter meter in meters) if (leaving.Contains(meter.HouseId)) meter.MoveTo(SplitPlan.NewChainId, split.ExitIntervalStart);
            }
            // The scripted vote counts every house; with a split the leavers could not vote after their exit.
            GovernanceScript? governance = options.GovernanceEvent && options.Split is null ? GovernanceScript.Plan(community, start, end) : null;
            var byId = meters.ToDictionary(m => m.MeterId, StringComparer.Ordinal);
            // One check for all meters: they verify the same commit certificates (SignatureVerdictCache).
            var lightClients = new LightClientFleet(new SodiumSignatureCheck());
            var restarts = new Queue<long>(options.Failures.GatewayRestartsSeconds.Order());
            long lastReport = 0;
            for (long now = start + 1; ; now += options.StepSeconds)
            {
                cancel.ThrowIfCancellationRequested();
                clock.AdvanceTo(now * 1000);
                ApplyOutages(meters, now - start, end - start);
                if (governance?.Due(now) is { Count: > 0 } decisions) await transport.SubmitAsync(decisions);
                while (restarts.Count > 0 && restarts.Peek() <= now - start)
                {
                    restarts.Dequeue();
                    await transport.RestartGatewayAsync(now * 1000);
                }

                breakaway?.TryStart(now);
                meterTime.Start();
                var outgoing = new List<(string Meter, long Sequence, byte[] Payload, string Chain)>();
                foreach (VirtualMeter meter in meters)
                {
                    meter.Tick(now);
                    foreach ((long sequence, byte[] payload, string chain) in meter.DueForSending(now * 1000, breakaway is null ? null : breakaway.Reaches))
                    {
                        outgoing.Add((meter.MeterId, sequence, payload, chain));
                    }
                }
                meterTime.Stop();
                foreach ((string meterId, long sequence, byte[] payload, string chain) in outgoing)
                {
                    await (chain == community.Genesis.ChainId ? transport : breakaway!.Transport!).PublishAsync(meterId, sequence, payload);
                }

                var acks = new List<ReadingAck>(await transport.AdvanceAsync(now * 1000));
                IReadOnlyList<ProofDelivery> proofs = transport.TakeProofs();
                IReadOnlyList<ProofDelivery> breakawayProofs = [];
                if (breakaway?.Transport is { } second)
                {
                    acks.AddRange(await second.AdvanceAsync(now * 1000));
                    breakawayProofs = second.TakeProofs();
                }
                meterTime.Start();
                // Over MQTT committed readings leave the queues only here, on verified proofs; acks are rejections (§7.7).
                lightClients.Apply(proofs, community.Genesis, byId);
                if (breakawayProofs.Count > 0) lightClients.Apply(breakawayProofs, breakaway!.Community!.Genesis, byId);
                foreach (ReadingAck ack in acks) if (byId.TryGetValue(ack.MeterId, out VirtualMeter? m)) m.Acknowledge(ack.Sequence);
                meterTime.Stop();

                stats = transport.Stats;
                if (progress is not null && (now - lastReport >= 900 || (acks.Count > 0 || proofs.Count > 0) && now - lastReport >= 300))
                {
                    lastReport = now;
                    progress.Report(new SimulationProgress(DateTimeOffset.FromUnixTimeSeconds(now), Math.Min(1, (now - start) / (double)(end - start)),
                        stats.ReadingsAccepted, stats.Blocks, meters.Sum(m => m.Queued)));
                }
                if (Finished(meters, now, end)) break;
                if (now > end + TailLimitSeconds) throw new InvalidOperationException("the simulation did not settle within two days after its end; see the gateway's rejections");
            }
            stats = transport.Stats;
            proofTotals = lightClients.Totals(meters, stats.ProofWaitTimeouts + (breakaway?.Transport?.Stats.ProofWaitTimeouts ?? 0));
            progress?.Report(new SimulationProgress(DateTimeOffset.FromUnixTimeSeconds(end), 1, stats.ReadingsAccepted, stats.Blocks, 0));
            if (breakaway is not null)
            {
                TransportStats newStats = breakaway.Transport?.Stats ?? throw new InvalidOperationException("the breakaway community never started: the leavers' exits did not become final");
                splitOutcome = new SplitOutcome(breakaway.Directory, breakaway.ChainPath, breakaway.GenesisPath, newStats.ReadingsAccepted, newStats.Blocks);
            }
        }
        TimeSpan gateway = stats.Gateway - clearingTime.Elapsed;
        var times = new StageTimes(profileTime.Elapsed, meterTime.Elapsed, stats.Transport, gateway < TimeSpan.Zero ? TimeSpan.Zero : gateway, clearingTime.Elapsed, total.Elapsed);
        return new SimulationResult(options.OutputDirectory, chainPath, genesisPath, transportName,
            meters.Sum(m => m.Made), stats.ReadingsAccepted, stats.Duplicates, stats.Rejections.Values.Sum(), stats.Blocks, stats.Restarts,
            (long)community.Houses.Count * (options.PeriodSeconds / ProfileGenerator.IntervalSeconds), times)
        {
            Downlink = new DownlinkTotals(stats.AcksVerified, stats.AcksDropped, stats.DisplaysVerified, stats.DisplaysDropped, stats.AckWaitTimeouts),
            Proofs = proofTotals,
            Split = splitOutcome,
            Gateways = options.Gateways,
            GatewayStops = stats.GatewayStops,
            SettleWaitTimeouts = stats.SettleWaitTimeouts,
            GossipWaitTimeouts = stats.GossipWaitTimeouts,
        };
    }

    private void ApplyOutages(List<VirtualMeter> meters, long elapsed, long horizon)
    {
        // Called every step for every meter (3 million times in a 100-house day): nothing to look at, nothing allocated.
        if (options.Failures.Outages.Count == 0) return;
        foreach (VirtualMeter meter in meters)
        {
            bool down = options.Failures.Outages.Any(o => o.HouseId == meter.HouseId && elapsed >= o.FromSeconds && elapsed < Math.Min(o.ToSeconds, horizon));
            if (down && meter.Online) meter.Disconnect();
            else if (!down && !meter.Online) meter.Online = true;
        }
    }

    /// <summary>
    /// Done when every meter has made its reading for the period's last interval and had all its readings
    /// acknowledged, and the last interval's close time (end + grace) has passed a gateway tick.
    /// </summary>
    private static bool Finished(List<VirtualMeter> meters, long now, long end) =>
        now >= end + GenesisDocument.DefaultGraceSeconds && meters.All(m => m.Online && m.PollsDone && m.Queued == 0);
}
