using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using CommunityGrid.Api;
using CommunityGrid.Formats.Signing;
using CommunityGrid.Node.Hosting;
using CommunityGrid.Node.Ingest;
using MQTTnet;
using MQTTnet.Protocol;
using NodeAck = CommunityGrid.Node.Acks.ReadingAck;
using NodeAckStatus = CommunityGrid.Node.Acks.AckStatus;
using NodeClock = CommunityGrid.Node.Timing.VirtualClock;

namespace CommunityGrid.Simulation.Pipeline;

/// <summary>
/// The real path: an in-process <see cref="GatewayNode"/> with its embedded MQTTnet broker on a loopback port and the
/// virtual clock, and one MQTT client per meter that logs in with its key-derived password and publishes QoS 1 to its
/// own readings topic. The broker hands each reading to the node's intake before it answers PUBACK, so once a publish
/// returns the reading waits in the mempool. Blocks are made by <see cref="GatewayNode.ProduceOnce"/> at the
/// simulation's block period; acks come from the node's ack hook (the broker also sends them to the meters' ack topics).
/// </summary>
public sealed class MqttTransport : IReadingTransport
{
    private readonly TransportContext context;
    private readonly IReadOnlyDictionary<string, byte[]> meterSeeds;
    private readonly NodeClock clock;
    private readonly ConcurrentQueue<NodeAck> released = new();
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
    }

    public string Name => "mqtt";

    public TransportStats Stats { get; } = new();

    public async ValueTask SubmitAsync(IReadOnlyList<byte[]> transactions)
    {
        GatewayNode gateway = await NodeAsync();
        foreach (byte[] tx in transactions)
        {
            SubmitOutcome outcome = gateway.Submit(tx);
            if (!outcome.Accepted) throw new InvalidOperationException($"the gateway refused an enrolment: {outcome.Reason}");
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
            var acks = new List<ReadingAck>();
            while (released.TryDequeue(out NodeAck? ack))
            {
                switch (ack.Status)
                {
                    case NodeAckStatus.Committed: Stats.ReadingsAccepted++; break;
                    case NodeAckStatus.AlreadyCommitted: Stats.Duplicates++; break;
                    default:
                        string reason = ack.Reason?.Split(':')[0] ?? "Rejected";
                        Stats.Rejections[reason] = Stats.Rejections.GetValueOrDefault(reason) + 1;
                        break;
                }
                acks.Add(new ReadingAck(ack.MeterId, ack.Sequence));
            }
            return acks;
        }
        finally
        {
            gatewayTime.Stop();
            Stats.Transport = transportTime.Elapsed;
            Stats.Gateway = gatewayTime.Elapsed;
        }
    }

    /// <summary>Stops the node (broker and store) and starts it again on the same port; meters log in again on their next publish.</summary>
    public async ValueTask RestartGatewayAsync(long nowMs)
    {
        gatewayTime.Start();
        await DisconnectClientsAsync();
        if (node is not null) await node.DisposeAsync();
        node = null;
        await NodeAsync();
        Stats.Restarts++;
        gatewayTime.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectClientsAsync();
        if (node is not null) await node.DisposeAsync();
        node = null;
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
            OnAck = released.Enqueue,
        });
        return node;
    }

    private async ValueTask<IMqttClient> ClientAsync(string meterId)
    {
        if (clients.TryGetValue(meterId, out IMqttClient? client) && client.IsConnected) return client;
        client ??= new MqttClientFactory().CreateMqttClient();
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
        return client;
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
