using CommunityGrid.Peering.Transport;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Node.Hosting;
using NodeClock = CommunityGrid.Node.Timing.VirtualClock;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The real path: an in-process <see cref="GatewayNode"/> with its embedded MQTTnet broker on a loopback port and the
/// virtual clock, and one MQTT client per meter that logs in with its key-derived password and publishes QoS 1 to its
/// own readings topic. The broker hands each reading to the node's intake before it answers PUBACK, so once a publish
/// returns the reading waits in the mempool. Blocks are made by <see cref="GatewayNode.ProduceOnce"/> at the
/// simulation's block period. Like a real meter, each client subscribes to its acks and display topics and checks every
/// message with the meter core (<see cref="MeterDownlink"/>); only verified acks reach the meters' queues.
/// </summary>
/// <remarks>
/// Ack delivery is asynchronous (the node signs and publishes on a background task), but the run must not depend on
/// thread timing. So the node's ack hook is used only to count the acks the gateway released, and
/// <see cref="AdvanceAsync"/> waits (bounded by <see cref="AckWaitLimit"/>) until that many verified acks have arrived:
/// every step then hands the meters exactly the acks the in-process hook used to.
/// </remarks>
public sealed class MqttTransport : IReadingTransport
{
    /// <summary>Wall time to wait for a block's acks before carrying on without them (the meters then resend).</summary>
    public static readonly TimeSpan AckWaitLimit = MqttMeters.AckWaitLimit;

    private readonly TransportContext context;
    private readonly NodeClock clock;
    private readonly MqttMeters meters;
    private readonly Stopwatch transportTime = new();
    private readonly Stopwatch gatewayTime = new();
    private readonly int port = LoopbackPorts.Reserve();
    private GatewayNode? node;
    private long lastBlockMs;

    public MqttTransport(TransportContext context)
    {
        this.context = context;
        clock = new NodeClock(context.Clock.NowMs);
        meters = new MqttMeters(context);
    }

    /// <summary>The running node (tests reach its broker through it); null before the first use and during a restart.</summary>
    public GatewayNode? Node => node;

    /// <summary>What all meters verified and dropped on their acks and display topics.</summary>
    public DownlinkCounters Downlink => meters.Downlink;

    /// <summary>Each meter's downlink, once the meter has connected.</summary>
    public IReadOnlyDictionary<string, MeterDownlink> Downlinks => meters.Downlinks;

    /// <summary>How many acks the gateway released for a meter (whether or not they arrived).</summary>
    public long ReleasedFor(string meterId) => meters.ReleasedFor(meterId);

    public string Name => "mqtt";

    public TransportStats Stats { get; } = new();

    public async ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions)
    {
        GatewayNode gateway = await NodeAsync();
        foreach (byte[] tx in transactions)
        {
            SubmitOutcome outcome = gateway.Submit(tx);
            if (!outcome.Accepted) throw new InvalidOperationException($"the gateway refused a transaction the simulator submitted: {outcome.Reason}");
        }
    }

    public async ValueTask PublishAsync(string meterId, long sequence, byte[] signedReading)
    {
        transportTime.Start();
        try
        {
            await meters.PublishAsync(meterId, signedReading, port);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Not delivered (the broker is restarting, or refused the login): the reading stays queued on the
            // meter and goes out again after the resend timeout, as on a real meter.
            Stats.PublishFailures++;
        }
        finally
        {
            transportTime.Stop();
        }
    }

    public async ValueTask<IReadOnlyList<ReadingAck>> AdvanceAsync(long nowMs)
    {
        GatewayNode gateway = await NodeAsync();
        gatewayTime.Start();
        try
        {
            clock.Set(Math.Max(nowMs, clock.NowMs));
            bool periodElapsed = gateway.Pool.Count > 0 && nowMs - lastBlockMs >= context.BlockPeriodMs;
            if (periodElapsed || gateway.Pool.Count == 0)
            {
                // With an empty mempool a round makes a block only when an interval is due to close.
                var report = gateway.ProduceOnce();
                if (report.Block is not null)
                {
                    Stats.Blocks++;
                    lastBlockMs = nowMs;
                }
            }
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

    /// <summary>Stops the node (broker and store) and starts it again on the same port; meters log in again on their next publish.</summary>
    public async ValueTask RestartGatewayAsync(long nowMs)
    {
        gatewayTime.Start();
        await meters.DisconnectAsync();
        if (node is not null) await node.DisposeAsync();
        node = null;
        meters.ForgetUndelivered();
        await NodeAsync();
        Stats.Restarts++;
        gatewayTime.Stop();
    }

    public IReadOnlyList<ProofDelivery> TakeProofs() => meters.TakeProofs();

    public async ValueTask DisposeAsync()
    {
        await meters.DisconnectAsync();
        if (node is not null) await node.DisposeAsync();
        node = null;
        await meters.DisposeAsync();
        meters.CopyCounters(Stats);
    }

    private async ValueTask<GatewayNode> NodeAsync()
    {
        node ??= await GatewayNode.StartAsync(new NodeOptions
        {
            Genesis = context.Genesis,
            DataDirectory = System.IO.Path.GetDirectoryName(context.ChainPath)!,
            ValidatorKey = context.Validator,
            MqttEndpoint = new IPEndPoint(IPAddress.Loopback, port),
            BlockPeriod = null,
            Clock = clock,
            // Only counted: the acks themselves reach the meters through the broker (see the remarks above).
            OnAck = meters.Released,
        });
        return node;
    }
}
