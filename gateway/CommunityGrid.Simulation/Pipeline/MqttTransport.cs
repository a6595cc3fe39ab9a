using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Meter.Messaging;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using MQTTnet;
using MQTTnet.Protocol;
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
    public static readonly TimeSpan AckWaitLimit = TimeSpan.FromSeconds(10);

    private readonly TransportContext context;
    private readonly IReadOnlyDictionary<string, byte[]> meterSeeds;
    private readonly NodeClock clock;
    private readonly SodiumSignedMessages signers;
    private readonly ConcurrentQueue<VerifiedAck> verified = new();
    private readonly ConcurrentDictionary<string, long> releasedPerMeter = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MeterDownlink> downlinks = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim ackArrived = new(0);
    private readonly Channel<Action> displayChecks = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task displayPump;
    private long released;          // acks the gateway released (its hook), the target of the wait
    private long lostInRestarts;    // released but never delivered because the gateway stopped
    private long handedOut;         // verified acks returned to the simulation so far (loop thread only)
    private readonly Dictionary<string, IMqttClient> clients = new(StringComparer.Ordinal);
    private readonly Stopwatch transportTime = new();
    private readonly Stopwatch gatewayTime = new();
    private readonly int port = FreeLoopbackPort();
    private GatewayNode? node;
    private long lastBlockMs;

    public MqttTransport(TransportContext context)
    {
        this.context = context;
        meterSeeds = context.Community.Meters.ToDictionary(m => m.MeterId, m => m.KeySeed, StringComparer.Ordinal);
        clock = new NodeClock(context.Clock.NowMs);
        // A meter is configured with the gateway/validator keys it believes: here the genesis validator set.
        signers = new SodiumSignedMessages(context.Genesis.Validators.Select(v => Convert.FromHexString(v.PublicKey)).ToArray());
        // One background reader, so display checks use the spare core instead of delaying acks.
        displayPump = Task.Run(async () =>
        {
            await foreach (Action check in displayChecks.Reader.ReadAllAsync()) check();
        });
    }

    /// <summary>The running node (tests reach its broker through it); null before the first use and during a restart.</summary>
    public GatewayNode? Node => node;

    /// <summary>What all meters verified and dropped on their acks and display topics.</summary>
    public DownlinkCounters Downlink { get; } = new();

    /// <summary>Each meter's downlink, once the meter has connected.</summary>
    public IReadOnlyDictionary<string, MeterDownlink> Downlinks => downlinks;

    /// <summary>How many acks the gateway released for a meter (whether or not they arrived).</summary>
    public long ReleasedFor(string meterId) => releasedPerMeter.GetValueOrDefault(meterId);

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
            IMqttClient client = await ClientAsync(meterId);
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(new MeterTopics(context.Genesis.ChainId).Readings(meterId))
                .WithPayload(signedReading)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await client.PublishAsync(message);
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
            var acks = new List<ReadingAck>();
            foreach (VerifiedAck v in await TakeAcksAsync())
            {
                // Counted from what the meters verified, i.e. what they were told.
                switch (v.Ack.Status)
                {
                    case AckStatus.Committed: Stats.ReadingsAccepted++; break;
                    case AckStatus.AlreadyCommitted: Stats.Duplicates++; break;
                    default:
                        string reason = v.Ack.Reason?.Split(':')[0] ?? "Rejected";
                        Stats.Rejections[reason] = Stats.Rejections.GetValueOrDefault(reason) + 1;
                        break;
                }
                acks.Add(new ReadingAck(v.MeterId, v.Ack.Sequence));
            }
            return acks;
        }
        finally
        {
            transportTime.Stop();
            Stats.Transport = transportTime.Elapsed;
            Stats.Gateway = gatewayTime.Elapsed;
            Stats.AcksVerified = Interlocked.Read(ref Downlink.AcksVerified);
            Stats.AcksDropped = Interlocked.Read(ref Downlink.AcksDropped);
            Stats.DisplaysVerified = Interlocked.Read(ref Downlink.DisplaysVerified);
            Stats.DisplaysDropped = Interlocked.Read(ref Downlink.DisplaysDropped);
        }
    }

    /// <summary>
    /// The verified acks that have arrived, waiting until every ack the gateway released so far is among them or the
    /// limit passes. Counting what is taken from the queue (not a counter bumped elsewhere) leaves no window in which
    /// an ack is counted but not yet takeable.
    /// </summary>
    private async Task<List<VerifiedAck>> TakeAcksAsync()
    {
        var taken = new List<VerifiedAck>();
        long target = Interlocked.Read(ref released) - lostInRestarts;
        Stopwatch? waited = null;
        while (true)
        {
            while (verified.TryDequeue(out VerifiedAck? ack)) taken.Add(ack);
            if (handedOut + taken.Count >= target) break;
            waited ??= Stopwatch.StartNew();
            TimeSpan left = AckWaitLimit - waited.Elapsed;
            // The semaphore may hold releases from earlier steps; that only costs another look at the queue.
            if (left <= TimeSpan.Zero || !await ackArrived.WaitAsync(left))
            {
                Stats.AckWaitTimeouts++;
                break;
            }
        }
        handedOut += taken.Count;
        return taken;
    }

    /// <summary>Stops the node (broker and store) and starts it again on the same port; meters log in again on their next publish.</summary>
    public async ValueTask RestartGatewayAsync(long nowMs)
    {
        gatewayTime.Start();
        await DisconnectClientsAsync();
        if (node is not null) await node.DisposeAsync();
        node = null;
        // Acks the stopped gateway released but could no longer deliver will never arrive; the meters resend those readings.
        lostInRestarts = Interlocked.Read(ref released) - handedOut - verified.Count;
        await NodeAsync();
        Stats.Restarts++;
        gatewayTime.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectClientsAsync();
        if (node is not null) await node.DisposeAsync();
        node = null;
        // Finish the display checks already received, so the totals are final when the run reports them.
        displayChecks.Writer.TryComplete();
        await displayPump;
        Stats.DisplaysVerified = Interlocked.Read(ref Downlink.DisplaysVerified);
        Stats.DisplaysDropped = Interlocked.Read(ref Downlink.DisplaysDropped);
        ackArrived.Dispose();
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
            OnAck = ack =>
            {
                releasedPerMeter.AddOrUpdate(ack.MeterId, 1, (_, n) => n + 1);
                Interlocked.Increment(ref released);
            },
        });
        return node;
    }

    private async ValueTask<IMqttClient> ClientAsync(string meterId)
    {
        if (clients.TryGetValue(meterId, out IMqttClient? client) && client.IsConnected) return client;
        if (client is null)
        {
            client = new MqttClientFactory().CreateMqttClient();
            if (!downlinks.TryGetValue(meterId, out MeterDownlink? downlink))
            {
                downlink = new MeterDownlink(context.Genesis.ChainId, meterId, signers, Downlink, Accept, check => displayChecks.Writer.TryWrite(check));
                downlinks[meterId] = downlink;
            }
            client.ApplicationMessageReceivedAsync += e =>
            {
                downlink.Receive(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
                return Task.CompletedTask;
            };
        }
        using Ed25519Signer key = Ed25519Signer.FromSeed(meterSeeds[meterId]);
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer(IPAddress.Loopback.ToString(), port)
            .WithClientId("sim-" + meterId)
            .WithCredentials(meterId, MqttPassword.For(context.Genesis.ChainId, meterId, key))
            .WithCleanSession(false)
            .Build();
        clients[meterId] = client;
        MqttClientConnectResult connected = await client.ConnectAsync(options);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MQTTnet.Exceptions.MqttCommunicationException($"meter {meterId} could not log in: {connected.ResultCode} {connected.ReasonString}");
        }
        // As a real meter does after every connect (protocol §7.1), before its first reading can earn an ack.
        MeterDownlink own = downlinks[meterId];
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(own.AcksTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(own.DisplayTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return client;
    }

    private void Accept(VerifiedAck ack)
    {
        verified.Enqueue(ack);
        ackArrived.Release();
    }

    private async Task DisconnectClientsAsync()
    {
        foreach (IMqttClient client in clients.Values)
        {
            if (client.IsConnected) await client.DisconnectAsync();
            client.Dispose();
        }
        clients.Clear();
    }

    private static int FreeLoopbackPort()
    {
        // MQTTnet does not report a port it picked for 0, so take one the OS hands out and give it back at once.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int free = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return free;
    }
}
