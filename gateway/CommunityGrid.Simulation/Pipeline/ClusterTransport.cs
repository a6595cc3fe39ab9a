using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Chain.Blocks;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using Microsoft.Data.Sqlite;
using NodeClock = CommunityGrid.Node.Timing.VirtualClock;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// One gateway per street: each a full <see cref="GatewayNode"/> with its own store (OUTPUT/gateways/gN), its embedded
/// broker and its peer port (named in the genesis), the gateways agreeing on one chain by Tendermint over the real
/// peer network on loopback. Each meter logs in to its street's gateway (<see cref="MqttMeters"/>); while that one is
/// down (<see cref="GatewayStop"/>) it fails over to the next running gateway, as a real meter's fallback list does,
/// and comes back when its own gateway is up again. A stopped gateway is disposed; when it starts again it catches up
/// by block sync before it takes part.
/// </summary>
/// <remarks>
/// The consensus drivers run on real time (timeouts, a 100 ms tick) but take block times from the one virtual clock
/// they share, and a proposal is only timely if its time is close to the receiver's clock (docs/consensus.md §4).
/// So <see cref="AdvanceAsync"/> sets the clock and then does not return until the cluster has settled: every running
/// gateway at the same height, no transaction waiting past the block period, no interval due to close, and the acks the gateways
/// released delivered. The clock never moves while a height is being decided. Which gateway proposes which block
/// depends on thread timing, so block boundaries may differ between runs; what a block holds cannot change what an
/// interval settles, because an interval closes by block time with every reading that arrived before it.
/// </remarks>
public sealed class ClusterTransport : IReadingTransport
{
    /// <summary>Wall time a step may take to settle before the run carries on (counted in <see cref="TransportStats.SettleWaitTimeouts"/>).</summary>
    public static readonly TimeSpan SettleWaitLimit = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(2);

    /// <summary>Wall time to let transactions reach every gateway by gossip before the clock moves (gossip may drop some; then the step goes on).</summary>
    public static readonly TimeSpan GossipWaitLimit = TimeSpan.FromSeconds(2);

    private readonly TransportContext context;
    private readonly SimulationOptions options;
    private readonly NodeClock clock;
    private readonly MqttMeters meters;
    private readonly List<StreetGateway> gateways;
    private readonly Dictionary<string, int> streetOfMeter;
    private readonly Stopwatch transportTime = new();
    private readonly Stopwatch gatewayTime = new();
    private long stepStartedMs = long.MinValue;

    public ClusterTransport(TransportContext context, SimulationOptions options)
    {
        this.context = context;
        this.options = options;
        clock = new NodeClock(context.Clock.NowMs);
        meters = new MqttMeters(context);
        gateways = context.Genesis.Validators.Select((v, i) => new StreetGateway(i + 1, context.Community.GatewayKeySeed(i + 1), options.GatewayDirectory(i + 1))).ToList();
        streetOfMeter = context.Community.Meters.ToDictionary(m => m.MeterId, m => context.Community.StreetOf(m.HouseId), StringComparer.Ordinal);
    }

    public string Name => "mqtt";

    public TransportStats Stats { get; } = new();

    /// <summary>Each gateway's node while it runs (null while stopped), in street order g1, g2, …</summary>
    public IReadOnlyList<GatewayNode?> Nodes => gateways.Select(g => g.Node).ToList();

    /// <summary>What all meters verified and dropped on their acks and display topics.</summary>
    public DownlinkCounters Downlink => meters.Downlink;

    public async ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions)
    {
        await BeginStepAsync(context.Clock.NowMs);
        // To every running gateway, not to one that gossips them on: gossip may drop transactions under a burst
        // (bounded queues), and an installer's or member's transactions carry increasing nonces, so one dropped
        // while a later one is committed could never be committed after it. A transaction several gateways hold is
        // still committed once. The first gateway must accept; the others may already have it by gossip.
        List<GatewayNode> running = gateways.Where(g => g.Node is not null).Select(g => g.Node!).ToList();
        foreach (byte[] tx in transactions)
        {
            SubmitOutcome outcome = running[0].Submit(tx);
            if (!outcome.Accepted) throw new InvalidOperationException($"the gateway refused a transaction the simulator submitted: {outcome.Reason}");
            foreach (GatewayNode other in running.Skip(1)) other.Submit(tx);
        }
    }

    public async ValueTask PublishAsync(string meterId, long sequence, byte[] signedReading)
    {
        transportTime.Start();
        try
        {
            await BeginStepAsync(context.Clock.NowMs);
            StreetGateway? target = GatewayFor(streetOfMeter[meterId]);
            if (target is null)
            {
                Stats.PublishFailures++;
                return;
            }
            await meters.PublishAsync(meterId, signedReading, target.MqttPort);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Not delivered: the reading stays queued on the meter and goes out again after the resend timeout.
            Stats.PublishFailures++;
        }
        finally
        {
            transportTime.Stop();
        }
    }

    public async ValueTask<IReadOnlyList<ReadingAck>> AdvanceAsync(long nowMs)
    {
        gatewayTime.Start();
        try
        {
            await BeginStepAsync(nowMs);
            if (!await SettledAsync()) Stats.SettleWaitTimeouts++;
            Stats.Blocks = gateways.Where(g => g.Node is not null).Max(g => g.Node!.Height);
        }
        finally
        {
            gatewayTime.Stop();
        }
        transportTime.Start();
        try
        {
            return await meters.TakeAcksAsync(Stats);
        }
        finally
        {
            transportTime.Stop();
            Stats.Transport = transportTime.Elapsed;
            Stats.Gateway = gatewayTime.Elapsed;
            meters.CopyCounters(Stats);
        }
    }

    /// <summary>Every running gateway stops and starts again, one after another, while the others go on.</summary>
    public async ValueTask RestartGatewayAsync(long nowMs)
    {
        gatewayTime.Start();
        foreach (StreetGateway gateway in gateways.Where(g => g.Node is not null))
        {
            await StopAsync(gateway);
            await StartAsync(gateway);
            if (!await SettledAsync()) Stats.SettleWaitTimeouts++;
        }
        Stats.Restarts++;
        gatewayTime.Stop();
    }

    public IReadOnlyList<ProofDelivery> TakeProofs() => meters.TakeProofs();

    public async ValueTask DisposeAsync()
    {
        await meters.DisconnectAsync();
        foreach (StreetGateway gateway in gateways)
        {
            await gateway.StopAsync();
            gateway.Key.Dispose();
        }
        await meters.DisposeAsync();
        meters.CopyCounters(Stats);
        CopyFirstGatewaysChain();
    }

    /// <summary>
    /// At the first action of a step (the simulation loop has moved its clock): gateways go down or come back as
    /// planned, before any meter publishes to them, and the nodes' clock moves to the step's time. Only ever between
    /// heights, since the last step ended settled. Before the meters publish, because a reading may start a height at
    /// once and its proposal must carry this step's time: a clock moving during that height would make it untimely.
    /// </summary>
    private async Task BeginStepAsync(long nowMs)
    {
        if (nowMs <= stepStartedMs) return;
        stepStartedMs = nowMs;
        await StartDueAsync(nowMs);
        await GossipSpreadAsync();
        clock.Set(Math.Max(nowMs, clock.NowMs));
    }

    /// <summary>
    /// Waits (at most <see cref="GossipWaitLimit"/>) until every running gateway's mempool holds as many transactions.
    /// On a real network gossip takes milliseconds while an interval's grace lasts a minute; the virtual clock can
    /// pass that minute in a few milliseconds of wall time. Without this wait, a close due on the moved clock could be
    /// proposed by a gateway that has not yet received some readings, which would then settle late, in the next
    /// interval (chain.md §5): settlements would depend on thread timing.
    /// </summary>
    private async Task GossipSpreadAsync()
    {
        var waited = Stopwatch.StartNew();
        while (gateways.Where(g => g.Node is not null).Select(g => g.Node!.Pool.Count).Distinct().Count() > 1)
        {
            if (waited.Elapsed > GossipWaitLimit)
            {
                Stats.GossipWaitTimeouts++;
                return;
            }
            await Task.Delay(SettlePoll);
        }
    }

    /// <summary>
    /// The meter's own street's gateway while it runs, else the next running one after it (the meter's fallback
    /// list, docs/meter-linux.md); null when none runs.
    /// </summary>
    private StreetGateway? GatewayFor(int street)
    {
        for (int i = 0; i < gateways.Count; i++)
        {
            StreetGateway candidate = gateways[(street - 1 + i) % gateways.Count];
            if (candidate.Node is not null) return candidate;
        }
        return null;
    }

    /// <summary>Takes gateways down and brings them back as --stop-gateway plans, by virtual time since the start.</summary>
    private async Task StartDueAsync(long nowMs)
    {
        long elapsed = (nowMs - options.StartUnixSeconds * 1000) / 1000;
        foreach (StreetGateway gateway in gateways)
        {
            bool down = options.Failures.GatewayStops.Any(s => s.Gateway == gateway.Number && elapsed >= s.FromSeconds && elapsed < s.ToSeconds);
            if (down && gateway.Node is not null)
            {
                await StopAsync(gateway);
                Stats.GatewayStops++;
            }
            else if (!down && gateway.Node is null)
            {
                await StartAsync(gateway);
            }
        }
    }

    private async Task StopAsync(StreetGateway gateway)
    {
        await meters.DisconnectAsync(gateway.MqttPort);
        await gateway.StopAsync();
        meters.ForgetUndelivered();
    }

    private async Task StartAsync(StreetGateway gateway)
    {
        Directory.CreateDirectory(gateway.DataDirectory);
        gateway.Node = await GatewayNode.StartAsync(new NodeOptions
        {
            Genesis = context.Genesis,
            DataDirectory = gateway.DataDirectory,
            ValidatorKey = gateway.Key,
            MqttEndpoint = new IPEndPoint(IPAddress.Loopback, gateway.MqttPort),
            BlockPeriod = null,
            Clock = clock,
            OnAck = meters.Released,
            Consensus = new ConsensusOptions(gateway.KeySeed, Path.Combine(gateway.DataDirectory, ConsensusOptions.SignStateFileName))
            {
                // A gateway back from a stop should find its peers within a step or two of wall time.
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
                // As the single gateway's block period: every block re-computes the state root, so fewer, fuller blocks keep a day fast.
                BlockSpacing = TimeSpan.FromMilliseconds(context.BlockPeriodMs),
            },
        });
    }

    /// <summary>Waits until every running gateway is at one height with nothing due (transactions past the block period, an interval to close), or the limit passes.</summary>
    private async Task<bool> SettledAsync()
    {
        var waited = Stopwatch.StartNew();
        while (!Settled())
        {
            if (waited.Elapsed > SettleWaitLimit) return false;
            await Task.Delay(SettlePoll);
        }
        return true;
    }

    private bool Settled()
    {
        long now = clock.NowMs;
        long? height = null;
        foreach (StreetGateway gateway in gateways)
        {
            GatewayNode? node = gateway.Node;
            if (node is null) continue;
            (long tip, long tipTime, bool due) = node.Read(s => (s.Height, s.State.TipTimeMs, BlockProducer.IntervalCloseDue(s.State, Math.Max(now, s.State.TipTimeMs + 1))));
            // Transactions may wait for the block period (ConsensusOptions.BlockSpacing); once it has passed they must be in a block.
            bool transactionsDue = node.Pool.Count > 0 && now - tipTime >= context.BlockPeriodMs;
            if (due || transactionsDue || (height is { } h && h != tip)) return false;
            height = tip;
        }
        return true;
    }

    /// <summary>OUTPUT/chain.sqlite stays meaningful: a copy of gateway 1's store (every gateway's is identical), for `cgrid verify --data OUTPUT` and the report.</summary>
    private void CopyFirstGatewaysChain()
    {
        string source = Path.Combine(gateways[0].DataDirectory, SimulationOptions.ChainFileName);
        if (!File.Exists(source)) return;
        using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = context.ChainPath, Pooling = false }.ToString()))
        {
            from.Open();
            to.Open();
            from.BackupDatabase(to);
        }
        string marker = Path.Combine(gateways[0].DataDirectory, Storage.ChainDirectory.MarkerFileName);
        if (File.Exists(marker)) File.Copy(marker, Path.Combine(Path.GetDirectoryName(context.ChainPath)!, Storage.ChainDirectory.MarkerFileName), overwrite: true);
    }

    /// <summary>A street's gateway: its key, data directory and broker port, and its node while it runs.</summary>
    private sealed class StreetGateway(int number, byte[] keySeed, string dataDirectory)
    {
        public int Number => number;
        public byte[] KeySeed => keySeed;
        public Ed25519Signer Key { get; } = Ed25519Signer.FromSeed(keySeed);
        public string DataDirectory => dataDirectory;
        public int MqttPort { get; } = LoopbackPorts.Reserve();
        public GatewayNode? Node { get; set; }

        public async Task StopAsync()
        {
            if (Node is not null) await Node.DisposeAsync();
            Node = null;
        }
    }
}
